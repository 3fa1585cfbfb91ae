// What a file:// target directory really is: the type of the file system under it, where that file
// system is mounted, its device, and its space. A mount point whose export failed to mount is an empty
// local directory that iofleet can read and write like any other; naming "ext4 mounted at /" where the
// user expects "nfs mounted at /mnt/filer1" is how that mistake shows before a long run. The device also
// shows when several file endpoints are one file system instance: Linux gives mounts of the same NFS
// export one superblock, so one page cache and attribute cache, unless they are mounted with
// `nosharecache`, and "four mounts" then cache as one.

import * as fs from 'node:fs';
import { dirname } from 'node:path';

export interface FileSystemFacts {
  /** The file system type from statfs(2), by name ("nfs", "ext4"), or its magic number in hex. */
  type: string;
  /** The directory its file system is mounted at (the target root itself when it is a mount point). */
  mountPoint: string;
  /** major:minor of st_dev, as /proc/self/mountinfo shows it. */
  device: string;
  sizeBytes: number;
  /** Space an unprivileged writer can still use (f_bavail). */
  freeBytes: number;
}

/** statfs(2) f_type values (linux/magic.h) of the file systems a storage benchmark meets. */
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
  [0x65735546, 'fuse'],
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

/** Facts of the file system under `directory` (which exists); throws the fs error otherwise. */
export function fileSystemFacts(directory: string): FileSystemFacts {
  const statfs = fs.statfsSync(directory);
  const own = fs.statSync(directory, { bigint: true });
  return {
    type: TYPE_NAMES.get(statfs.type >>> 0) ?? `0x${(statfs.type >>> 0).toString(16)}`,
    mountPoint: mountPointOf(directory, own),
    device: deviceText(own.dev),
    sizeBytes: statfs.blocks * statfs.bsize,
    freeBytes: statfs.bavail * statfs.bsize,
  };
}

/**
 * Walks up the real path (symlinks resolved: a link may lead to another file system) while the parent is
 * on the same device: the last directory before the device changes. (A btrfs subvolume, which has a
 * device of its own, counts as mounted at its top.)
 */
function mountPointOf(directory: string, own: fs.BigIntStats): string {
  let current = fs.realpathSync(directory);
  for (;;) {
    const parent = dirname(current);
    if (parent === current) return current; // "/"
    const above = fs.statSync(parent, { bigint: true });
    if (above.dev !== own.dev) return current;
    current = parent;
  }
}

/** glibc's major()/minor() split of a dev_t. */
function deviceText(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}
