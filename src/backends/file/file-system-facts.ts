// What a file:// target directory really is: the file system under it (type and source, e.g. "nfs4
// filer1:/export"), where it is mounted, its device, and its space. A mount point whose export failed to
// mount is an empty local directory that iofleet can read and write like any other; naming "ext4
// /dev/vda mounted at /" where the user expects "nfs4 filer1:/export mounted at /mnt/filer1" is how that
// mistake shows before a long run. The device also shows when several file endpoints are one file system
// instance: Linux gives mounts of the same NFS export one superblock, so one page cache and attribute
// cache, unless they are mounted with `nosharecache`, and "four mounts" then cache as one.
//
// The mount comes from /proc/self/mountinfo (exact for bind mounts, and it names the source); where that
// cannot be read, from walking up the path until the device changes, and the type from statfs(2).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { dirname } from 'node:path';

export interface FileSystemFacts {
  /** The file system type ("nfs4", "ext4", "fuse.sshfs"), or statfs(2)'s magic number in hex. */
  type: string;
  /** What is mounted ("filer1:/export", "/dev/vda"); '' when unknown. */
  source: string;
  /** The directory the file system is mounted at (the target root itself when it is a mount point). */
  mountPoint: string;
  /** major:minor of st_dev. */
  device: string;
  /** Size and space an unprivileged writer can still use (f_bavail); undefined when not known. */
  sizeBytes: number | undefined;
  freeBytes: number | undefined;
}

const FUSE_MAGIC = 0x65735546;

/** statfs(2) f_type values (linux/magic.h), for when /proc/self/mountinfo cannot be read. */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0xef53, 'ext4'], // ext2/3/4 share the magic number
  [0x58465342, 'xfs'],
  [0x9123683e, 'btrfs'],
  [0xf2f52010, 'f2fs'],
  [0xca451a4e, 'bcachefs'],
  [0x2fc12fc1, 'zfs'],
  [0x01021994, 'tmpfs'],
  [0x858458f6, 'ramfs'],
  [0x794c7630, 'overlay'],
  [0x6969, 'nfs'],
  [0xff534d42, 'cifs'],
  [0xfe534d42, 'smb2'],
  [FUSE_MAGIC, 'fuse'],
  [0x01021997, '9p'],
  [0x00c36400, 'ceph'],
  [0x0bd00bd0, 'lustre'],
  [0x47504653, 'gpfs'],
  [0x19830326, 'beegfs'],
  [0x7461636f, 'ocfs2'],
  [0x01161970, 'gfs2'],
  [0x5346414f, 'afs'],
  [0x73717368, 'squashfs'],
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
]);

/** Facts of the file system under `directory` (which exists); throws the fs error when it cannot be read. */
export function fileSystemFacts(directory: string): FileSystemFacts {
  const real = fs.realpathSync(directory); // a symlink may lead to another file system
  const statfs = fs.statfsSync(real);
  const own = fs.statSync(real, { bigint: true });
  const magic = statfs.type >>> 0;
  const mount = mountOf(real) ?? { mountPoint: mountPointByDevice(real, own.dev), type: TYPE_NAMES.get(magic) ?? `0x${magic.toString(16)}`, source: '' };
  const fragmentBytes = fragmentSizeOf(real, statfs, magic);
  return {
    ...mount,
    device: deviceText(own.dev),
    sizeBytes: fragmentBytes === undefined ? undefined : statfs.blocks * fragmentBytes,
    freeBytes: fragmentBytes === undefined ? undefined : statfs.bavail * fragmentBytes,
  };
}

/**
 * statfs counts blocks in f_frsize units. Node 20 reports only f_bsize, which equals f_frsize on local
 * file systems and NFS, but not on FUSE (virtiofs: 1 MiB against 4 KiB, which would make the space 256×
 * too large); there coreutils' `stat -f` gives it.
 */
function fragmentSizeOf(directory: string, statfs: fs.StatsFs & { frsize?: number }, magic: number): number | undefined {
  if (statfs.frsize !== undefined) return statfs.frsize;
  if (magic !== FUSE_MAGIC) return statfs.bsize;
  try {
    const size = Number(execFileSync('stat', ['-f', '-c', '%S', directory], { encoding: 'utf8', timeout: 5000 }).trim());
    return Number.isInteger(size) && size > 0 ? size : undefined;
  } catch {
    return undefined;
  }
}

/** The mount /proc/self/mountinfo shows at `path` (real, absolute): the last of the longest matches. */
function mountOf(path: string): { mountPoint: string; type: string; source: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  let best: { mountPoint: string; type: string; source: string } | undefined;
  for (const line of text.split('\n')) {
    // ID parentID major:minor root mountPoint options [optional fields...] - type source superOptions
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 5 || separator < 0) continue;
    const mountPoint = unescapeMountinfo(fields[4]!);
    const isUnder = mountPoint === '/' || path === mountPoint || path.startsWith(mountPoint + '/');
    // Later lines mount over earlier ones at the same point: >= keeps the last.
    if (isUnder && mountPoint.length >= (best?.mountPoint.length ?? 0)) {
      best = { mountPoint, type: fields[separator + 1] ?? '', source: unescapeMountinfo(fields[separator + 2] ?? '') };
    }
  }
  return best;
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (\040). */
function unescapeMountinfo(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Without mountinfo: walks up while the parent is on the same device (a bind mount is not seen). */
function mountPointByDevice(path: string, dev: bigint): string {
  let current = path;
  for (;;) {
    const parent = dirname(current);
    if (parent === current || fs.statSync(parent, { bigint: true }).dev !== dev) return current;
    current = parent;
  }
}

/** glibc's major()/minor() split of a dev_t. */
function deviceText(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}
