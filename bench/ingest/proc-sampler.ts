/**
 * Resource use of server processes from /proc (Linux): peak resident memory, sampled, and CPU
 * time consumed over a measured window; the CPU of a process tree (a PostgreSQL server: the
 * postmaster and the backends it forks and reaps).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** Highest VmRSS seen while sampling, in MiB. */
  peakRssMiB: number;
  /** user + system CPU seconds spent during the window. */
  cpuSeconds: number;
  /** Bytes the process caused to be written to storage (/proc/<pid>/io write_bytes), in MiB. */
  writtenMiB: number;
  /** CPU seconds the whole machine spent busy (all processes, kernel included). */
  machineBusySeconds: number;
  wallSeconds: number;
}

export interface ProcSampler {
  stop(): ProcessUsage;
}

export function sampleProcess(pid: number, intervalMs = 100): ProcSampler {
  return sampleProcesses([pid], intervalMs);
}

/** Like sampleProcess for several processes at once: their RSS, CPU and writes summed. */
export function sampleProcesses(pids: readonly number[], intervalMs = 100): ProcSampler {
  const sum = (read: (pid: number) => number | null, fallback: readonly number[]) =>
    pids.reduce((total, pid, i) => total + (read(pid) ?? fallback[i]!), 0);
  const zeros = pids.map(() => 0);
  const cpuAtStart = pids.map((pid) => readCpuSeconds(pid) ?? 0);
  const writtenAtStart = pids.map((pid) => readWrittenBytes(pid) ?? 0);
  let peakRssKiB = sum(readRssKiB, zeros);
  const machineAtStart = readMachineBusySeconds();
  const startedAt = performance.now();
  const timer = setInterval(() => {
    peakRssKiB = Math.max(peakRssKiB, sum(readRssKiB, zeros));
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peakRssKiB = Math.max(peakRssKiB, sum(readRssKiB, zeros));
      const total = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
      return {
        peakRssMiB: peakRssKiB / 1024,
        cpuSeconds: sum(readCpuSeconds, cpuAtStart) - total(cpuAtStart),
        machineBusySeconds: readMachineBusySeconds() - machineAtStart,
        writtenMiB: (sum(readWrittenBytes, writtenAtStart) - total(writtenAtStart)) / (1024 * 1024),
        wallSeconds: (performance.now() - startedAt) / 1000,
      };
    },
  };
}

/** CPU seconds of something measured, read now; null once it is gone. */
export type CpuReader = () => number | null;

export function processCpu(pid: number): CpuReader {
  return () => readCpuSeconds(pid);
}

/**
 * CPU seconds of a process and its direct children, living and ended: its own time, the time of
 * the children it has reaped (cutime + cstime of /proc/<pid>/stat) and that of the children
 * still running. A PostgreSQL server is such a tree: the postmaster forks a backend per
 * connection and its background workers (checkpointer, WAL writer, autovacuum), and reaps them.
 * `rootPid` is asked each time (a restarted server has a new postmaster).
 */
export function processTreeCpu(rootPid: () => number | null): CpuReader {
  return () => {
    const root = rootPid();
    if (root === null) return null;
    const own = readStatFields(root);
    if (own === null) return null;
    let seconds = (own.userTicks + own.systemTicks + own.childUserTicks + own.childSystemTicks) / CLOCK_TICKS_PER_SECOND;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const child = readStatFields(Number(entry));
      if (child !== null && child.parentPid === root) seconds += (child.userTicks + child.systemTicks) / CLOCK_TICKS_PER_SECOND;
    }
    return seconds;
  };
}

/** CPU seconds a reader counted between start() and stop(), with the wall time between. */
export function sampleCpu(read: CpuReader): { stop(): { cpuSeconds: number; wallSeconds: number } } {
  const atStart = read() ?? 0;
  const startedAt = performance.now();
  return {
    stop: () => ({ cpuSeconds: (read() ?? atStart) - atStart, wallSeconds: (performance.now() - startedAt) / 1000 }),
  };
}

/**
 * Waits until the process uses less than `belowCores` over a 500 ms window (work left over from a
 * previous phase, such as reads whose clients gave up, would otherwise count against the next),
 * or until `maxMs`. Resolves with the seconds waited and whether it went quiet.
 */
export async function waitUntilQuiet(
  target: number | CpuReader,
  options: { belowCores: number; maxMs: number },
): Promise<{ seconds: number; quiet: boolean }> {
  const read = typeof target === 'number' ? processCpu(target) : target;
  const startedAt = performance.now();
  const windowMs = 500;
  while (performance.now() - startedAt < options.maxMs) {
    const before = read();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = read();
    if (before === null || after === null) break;
    if ((after - before) / (windowMs / 1000) < options.belowCores) {
      return { seconds: (performance.now() - startedAt) / 1000, quiet: true };
    }
  }
  return { seconds: (performance.now() - startedAt) / 1000, quiet: false };
}

function readRssKiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function readWrittenBytes(pid: number): number | null {
  try {
    const match = /^write_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function readCpuSeconds(pid: number): number | null {
  const stat = readStatFields(pid);
  return stat === null ? null : (stat.userTicks + stat.systemTicks) / CLOCK_TICKS_PER_SECOND;
}

interface StatFields {
  parentPid: number;
  userTicks: number;
  systemTicks: number;
  /** CPU of the children this process has waited for (reaped). */
  childUserTicks: number;
  childSystemTicks: number;
}

/** From /proc/<pid>/stat (proc(5)); null when the process is gone. */
function readStatFields(pid: number): StatFields | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the parenthesised command name (which may itself contain spaces): state, ppid, ...
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    parentPid: Number(fields[1]),
    userTicks: Number(fields[11]),
    systemTicks: Number(fields[12]),
    childUserTicks: Number(fields[13]),
    childSystemTicks: Number(fields[14]),
  };
}

/** Busy CPU seconds of the machine since boot, from the aggregate line of /proc/stat. */
export function readMachineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
