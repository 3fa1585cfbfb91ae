#!/usr/bin/env bash
# rgw.sh - iofleet's S3 test server: a single-node Ceph cluster with N RADOS gateways on 127.0.0.1.
#
#   scripts/rgw.sh start   start (or find running) and print shell-sourceable exports
#   scripts/rgw.sh env     print the exports of the running cluster (fails when it is not running)
#   scripts/rgw.sh stop    stop the daemons this script started (by their pid files only)
#
# One ceph-mon, one ceph-osd (memstore, or BlueStore on a sparse file), N radosgw (beast), no cephx,
# pool size 1. Installs Debian 12's ceph packages with apt-get when missing (root). The data is test data:
# `start` on a directory whose cluster is not fully up wipes it and bootstraps anew (~3 s; +30 s install).
#
# Environment (all optional):
#   IOFLEET_RGW_DIR        state directory                         (default /tmp/iofleet-rgw)
#   IOFLEET_RGW_PORT       S3 port of gateway 0; gateway i: +i      (default 7480)
#   IOFLEET_RGW_MON_PORT   mon msgr2 port                          (default 3300)
#   IOFLEET_RGW_GATEWAYS   gateways on the one cluster, 1..8        (default 1; same buckets on all)
#   IOFLEET_RGW_ACCESS_KEY / IOFLEET_RGW_SECRET_KEY  S3 user keys   (fixed test defaults below)
#   IOFLEET_RGW_STORE      memstore | bluestore                     (default memstore)
#   IOFLEET_RGW_SIZE_GB    store capacity                           (default 4 memstore, 20 bluestore)
#   IOFLEET_RGW_THREADS    rgw thread pool size                     (default 8: Ceph's 512 thrashes 2 cores)
#   IOFLEET_RGW_NO_INSTALL=1  never call apt-get
# A second, independent cluster (own buckets, own keys): give it its own DIR, PORT, MON_PORT and keys.
# Failover tests: kill "$(cat $IOFLEET_RGW_DIR/run/client.rgw.gw1.pid)" stops gateway 1; restart it with
#   radosgw -c $IOFLEET_RGW_DIR/ceph.conf -n client.rgw.gw1
set -euo pipefail

DIR=${IOFLEET_RGW_DIR:-/tmp/iofleet-rgw}
PORT=${IOFLEET_RGW_PORT:-7480}
MON_PORT=${IOFLEET_RGW_MON_PORT:-3300}
GATEWAYS=${IOFLEET_RGW_GATEWAYS:-1}
ACCESS=${IOFLEET_RGW_ACCESS_KEY:-IOFLEETTESTACCESSKEY}
SECRET=${IOFLEET_RGW_SECRET_KEY:-iofleettestsecretkey00000000000000000000}
STORE=${IOFLEET_RGW_STORE:-memstore}
THREADS=${IOFLEET_RGW_THREADS:-8}
CONF=$DIR/ceph.conf
T0=$(date +%s%N)

log() { local ms=$((($(date +%s%N) - T0) / 1000000)); printf '[rgw.sh %d.%03ds] %s\n' $((ms / 1000)) $((ms % 1000)) "$*" >&2; }
die() { echo "rgw.sh: $*" >&2; exit 1; }

[[ $GATEWAYS =~ ^[1-8]$ ]] || die "IOFLEET_RGW_GATEWAYS must be 1..8 (got $GATEWAYS)"
case $STORE in
  memstore) SIZE_GB=${IOFLEET_RGW_SIZE_GB:-4} ;;
  bluestore) SIZE_GB=${IOFLEET_RGW_SIZE_GB:-20} ;;
  *) die "IOFLEET_RGW_STORE must be memstore or bluestore (got $STORE)" ;;
esac

port_of() { echo $((PORT + $1)); }

# A pid file only counts when its process is still a ceph daemon (pids are reused).
ours() {
  local f=$DIR/run/$1.pid p comm
  [[ -f $f ]] || return 1
  p=$(<"$f")
  comm=$(cat "/proc/$p/comm" 2>/dev/null) || return 1
  [[ $comm == ceph-mon || $comm == ceph-osd || $comm == radosgw* ]]
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-5}" "$1" || true; }

# Anonymous GET / on a gateway answers 200 (an empty bucket list).
running() {
  local i
  [[ -f $DIR/env ]] || return 1
  # Same settings asked for as running: otherwise start anew with the new ones.
  grep -qx "export IOFLEET_RGW_GATEWAYS=$GATEWAYS" "$DIR/env" && grep -qx "export AWS_ACCESS_KEY_ID=$ACCESS" "$DIR/env" \
    && grep -qx "export AWS_SECRET_ACCESS_KEY=$SECRET" "$DIR/env" || return 1
  ours mon.a && ours osd.0 || return 1
  for ((i = 0; i < GATEWAYS; i++)); do
    ours "client.rgw.gw$i" && [[ $(http_code "http://127.0.0.1:$(port_of $i)/") == 200 ]] || return 1
  done
}

stop_all() {
  local n f p
  for n in client.rgw.gw{0..7} osd.0 mon.a; do
    f=$DIR/run/$n.pid
    [[ -f $f ]] || continue
    if ours "$n"; then
      p=$(<"$f")
      kill "$p" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$p" 2>/dev/null || true
      echo "stopped $n (pid $p)" >&2
    fi
    rm -f "$f"
  done
}

install_packages() {
  local need=() b
  for b in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw ceph:ceph-common monmaptool:ceph-base \
           uuidgen:uuid-runtime curl:curl; do
    command -v "${b%%:*}" >/dev/null || need+=("${b#*:}")
  done
  ((${#need[@]})) || return 0
  [[ ${IOFLEET_RGW_NO_INSTALL:-0} != 1 ]] || die "missing packages: ${need[*]} (IOFLEET_RGW_NO_INSTALL=1)"
  [[ $(id -u) == 0 ]] || die "missing packages: ${need[*]}; run as root or install them first"
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# Fail with a clear message instead of a daemon dying on EADDRINUSE deep in a log file.
check_ports_free() {
  local p
  for p in "$MON_PORT" $(for ((i = 0; i < GATEWAYS; i++)); do port_of $i; done); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "port $p on 127.0.0.1 is in use by another process; set IOFLEET_RGW_PORT / IOFLEET_RGW_MON_PORT"
    fi
  done
}

write_conf() {
  local store_conf i bytes=$((SIZE_GB * 1024 * 1024 * 1024))
  if [[ $STORE == memstore ]]; then
    store_conf="osd objectstore = memstore
memstore device bytes = $bytes"
  else
    store_conf="osd objectstore = bluestore
bluestore block create = true
bluestore block size = $bytes
bluestore block db create = false
bluestore block wal create = false
bluestore fsck on mount = false
osd memory target = 2147483648"
  fi
  cat >"$CONF" <<EOF
[global]
fsid = $(uuidgen)
mon host = v2:127.0.0.1:$MON_PORT
ms bind msgr1 = false
ms bind ipv6 = false
public addr = 127.0.0.1
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
# radosgw asks for a 'secure' mon session by default, which needs cephx; allow crc with auth none
ms mon client mode = crc secure
mon warn on insecure global id reclaim allowed = false
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
keyring = $DIR/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
[mon]
mon data = $DIR/mon/\$id
# the default 1 s paxos proposal interval makes every pool creation take ~1 s
paxos propose interval = 0.02
paxos min wait = 0.01
[osd]
osd data = $DIR/osd/\$id
$store_conf
osd max object name len = 460
osd max object namespace len = 64
EOF
  for ((i = 0; i < GATEWAYS; i++)); do
    cat >>"$CONF" <<EOF
[client.rgw.gw$i]
rgw frontends = beast endpoint=127.0.0.1:$(port_of $i) tcp_nodelay=1
rgw data = $DIR/rgw/gw$i
rgw thread pool size = $THREADS
rgw dns name = localhost
EOF
  done
}

bootstrap() {
  local i n p osd_uuid
  install_packages
  stop_all
  rm -rf "$DIR"
  check_ports_free
  mkdir -p "$DIR"/{run,log,mon/a,osd/0}
  write_conf

  ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' >/dev/null
  monmaptool --create --fsid "$(sed -n 's/^fsid = //p' "$CONF")" --addv a "[v2:127.0.0.1:$MON_PORT]" \
    "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
  ceph-mon -c "$CONF" -i a
  timeout 60 ceph -c "$CONF" --connect-timeout 30 mon stat >/dev/null
  log "mon up"

  osd_uuid=$(uuidgen)
  [[ $(ceph -c "$CONF" osd new "$osd_uuid") == 0 ]] || die "unexpected osd id"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$DIR/log/osd-mkfs.log" 2>&1 \
    || die "osd mkfs failed: $(tail -5 "$DIR/log/osd-mkfs.log")"
  ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/osd-start.log"
  for n in $(seq 120); do
    ceph -c "$CONF" osd stat 2>/dev/null | grep -q '1 up' && break
    ((n < 120)) || die "osd did not come up; see $DIR/log"
    sleep 0.25
  done
  log "osd up ($STORE)"

  # radosgw would create its pools lazily, making the first bucket creation take seconds; one ceph CLI
  # process reads all commands from stdin (each CLI start costs ~0.3 s).
  for p in .rgw.root default.rgw.control default.rgw.meta default.rgw.log default.rgw.buckets.index \
           default.rgw.buckets.data default.rgw.buckets.non-ec; do
    printf 'osd pool create %s 8 8\nosd pool application enable %s rgw\n' "$p" "$p"
  done | ceph -c "$CONF" >"$DIR/log/pools.log" 2>&1
  log "pools created"

  for ((i = 0; i < GATEWAYS; i++)); do
    mkdir -p "$DIR/rgw/gw$i"
    radosgw -c "$CONF" -n "client.rgw.gw$i" 2>>"$DIR/log/rgw-start.log"
  done
  for ((i = 0; i < GATEWAYS; i++)); do
    for n in $(seq 240); do
      [[ $(http_code "http://127.0.0.1:$(port_of $i)/" 2) == 200 ]] && break
      ((n < 240)) || die "radosgw gw$i did not answer on port $(port_of $i); see $DIR/log"
      sleep 0.25
    done
  done
  log "gateways answering"

  radosgw-admin -c "$CONF" user create --uid=iofleet --display-name=iofleet \
    --access-key="$ACCESS" --secret-key="$SECRET" >"$DIR/user.json" 2>>"$DIR/log/radosgw-admin.log"
  probe
  log "S3 ready"

  local ports
  ports=$(for ((i = 0; i < GATEWAYS; i++)); do port_of $i; done | paste -sd,)
  cat >"$DIR/env" <<EOF
export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT
export AWS_ACCESS_KEY_ID=$ACCESS
export AWS_SECRET_ACCESS_KEY=$SECRET
export AWS_REGION=us-east-1
export IOFLEET_RGW_DIR=$DIR
export IOFLEET_RGW_GATEWAYS=$GATEWAYS
export IOFLEET_RGW_PORTS=$ports
EOF
}

# Signed create bucket / put / get / delete through curl's own SigV4, so a broken cluster fails here.
probe() {
  local url=http://127.0.0.1:$PORT/rgw-sh-probe codes=""
  s3() {
    curl -sS -o /dev/null -w '%{http_code} ' --max-time 30 --aws-sigv4 aws:amz:us-east-1:s3 \
      --user "$ACCESS:$SECRET" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"
  }
  echo ok >"$DIR/probe.txt"
  codes+=$(s3 -X PUT "$url")
  codes+=$(s3 -T "$DIR/probe.txt" "$url/probe")
  codes+=$(s3 "$url/probe")
  codes+=$(s3 -X DELETE "$url/probe")
  codes+=$(s3 -X DELETE "$url")
  [[ $codes == '200 200 200 204 204 ' ]] || die "S3 probe failed (PUT bucket, PUT, GET, DELETE, DELETE bucket): $codes"
}

case ${1:-} in
  start)
    if running; then log "already running"; else bootstrap; fi
    cat "$DIR/env"
    ;;
  env)
    running || die "not running in $DIR with $GATEWAYS gateway(s); use: $0 start"
    cat "$DIR/env"
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: $0 start|stop|env   (see the header of this script for the environment)" >&2
    exit 2
    ;;
esac
