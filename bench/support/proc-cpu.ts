/**
 * CPU time from /proc (Linux; elsewhere only this process's own figure is known). The benches
 * run on shared machines: wall time is what they judge, CPU time shows how much of a difference
 * is work and how much is waiting for cores other processes were using.
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on every Linux we run on). */
const CLOCK_TICKS = 100;

export interface ProcessCpu {
  readonly pid: number;
  /** The command name (`comm`), e.g. `ffmpeg` or `java`. */
  readonly comm: string;
  /** user + system seconds so far. */
  readonly cpuSec: number;
}

/** One process's CPU seconds so far; `undefined` when it cannot be read (gone, or no /proc). */
export function processCpu(pid: number): ProcessCpu | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    // utime and stime are fields 14 and 15; counted here from the state field after the name.
    const fields = text.slice(close + 2).split(' ');
    return {
      pid,
      comm: text.slice(text.indexOf('(') + 1, close),
      cpuSec: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/** This process's CPU seconds so far: every thread (the event loop, worker threads, the GC). */
export function ownCpuSec(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The CPU seconds of this process's child processes, but those `skip` picks. 0 without /proc. */
export function childrenCpuSec(skip: (child: ProcessCpu) => boolean = () => false): number {
  let total = 0;
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const children = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
      for (const pid of children === '' ? [] : children.split(/\s+/)) {
        const child = processCpu(Number(pid));
        if (child !== undefined && !skip(child)) total += child.cpuSec;
      }
    }
  } catch {
    // No /proc: this process only.
  }
  return total;
}
