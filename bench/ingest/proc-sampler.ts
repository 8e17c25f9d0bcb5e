/**
 * Resource use of a server process from /proc (Linux): peak resident memory, sampled, and CPU
 * time consumed over a measured window.
 */
import { readFileSync } from 'node:fs';

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
  let peakRssKiB = readRssKiB(pid) ?? 0;
  const cpuAtStart = readCpuSeconds(pid) ?? 0;
  const machineAtStart = readMachineBusySeconds();
  const writtenAtStart = readWrittenBytes(pid) ?? 0;
  const startedAt = performance.now();
  const timer = setInterval(() => {
    const rss = readRssKiB(pid);
    if (rss !== null && rss > peakRssKiB) peakRssKiB = rss;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const rss = readRssKiB(pid);
      if (rss !== null && rss > peakRssKiB) peakRssKiB = rss;
      return {
        peakRssMiB: peakRssKiB / 1024,
        cpuSeconds: (readCpuSeconds(pid) ?? cpuAtStart) - cpuAtStart,
        machineBusySeconds: readMachineBusySeconds() - machineAtStart,
        writtenMiB: ((readWrittenBytes(pid) ?? writtenAtStart) - writtenAtStart) / (1024 * 1024),
        wallSeconds: (performance.now() - startedAt) / 1000,
      };
    },
  };
}

/**
 * Waits until the process uses less than `belowCores` over a 500 ms window (work left over from a
 * previous phase, such as reads whose clients gave up, would otherwise count against the next),
 * or until `maxMs`. Resolves with the seconds waited and whether it went quiet.
 */
export async function waitUntilQuiet(
  pid: number,
  options: { belowCores: number; maxMs: number },
): Promise<{ seconds: number; quiet: boolean }> {
  const startedAt = performance.now();
  const windowMs = 500;
  while (performance.now() - startedAt < options.maxMs) {
    const before = readCpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = readCpuSeconds(pid);
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
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may itself contain spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
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
