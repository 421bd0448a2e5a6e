// Generated code that misbehaves, run by the real toolchain activities: 8 cases (the layer's
// total is in support.ts). Each plants a tiny Go project (go.mod and one test file) in the
// sandbox's output folder and runs validateProject, or runTool on a compiled test binary with
// small limits. What containment.ts promises is asserted when the machine allows it, and
// skipped with the reason when it does not; nothing may be left running, in any case.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { containmentLevel, openContainment } from '../../activities/go/containment.js';
import { defaultToolchainDirs, runTool, toolchainEnv } from '../../activities/go/run-tool.js';
import { cleanUpAfterDeadWorkers, validateProject } from '../../activities/go/validate.js';
import type { ValidationReport } from '../../core/run-types.js';
import { TODO_SPEC } from '../support/scripted-ollama.js';
import { expectedContainment } from '../support/expect.js';
import { MiB, assertNoNewProcesses, descendants, hostListener, makeSandbox, snapshot, within, type Sandbox } from './support.js';

let level: Awaited<ReturnType<typeof containmentLevel>>;
const NO_NAMESPACES = () => `this machine allows no namespaces (${level.reason})`;
const LEVELS = ['none', 'namespaces', 'namespaces+readonly'];
/** Set by CI (.ci/run): the containment its machines have, so a check that would skip fails there. */
const EXPECTED = expectedContainment();

/** Skips a check this machine cannot run, or fails it when CI expected the machine to run it. */
function cannotRun(t: TestContext, reason: string): void {
  if (EXPECTED) assert.fail(`OVERNIGHT_EXPECT_CONTAINMENT=${EXPECTED}, but ${reason}`);
  t.skip(reason);
}

before(async () => {
  level = await containmentLevel();
});

/** A project whose only code is `tests/x_test.go`: package tests, the given imports and body. */
function plant(sb: Sandbox, imports: string[], body: string): void {
  mkdirSync(path.join(sb.out, 'tests'), { recursive: true });
  writeFileSync(path.join(sb.out, 'go.mod'), 'module todo-api\n\ngo 1.22\n');
  const source = `package tests\n\nimport (\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\n${body}\n`;
  writeFileSync(path.join(sb.out, 'tests', 'x_test.go'), source);
}

/** Processes anywhere on the machine whose command line holds `marker` (they may have left our tree). */
function withMarker(marker: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(marker) ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

/** Validates the planted project with the layer's checks: nothing outside changed, nothing left running or on disk. */
async function validate(sb: Sandbox, timeoutMs: number): Promise<ValidationReport & { test: string }> {
  const beside = snapshot(sb.root, sb.out);
  const procs = descendants();
  const r = await within(timeoutMs + 15_000, validateProject({ outputDir: sb.out, spec: TODO_SPEC, coverageGoal: 70, timeoutMs }));
  assert.ok(r.ok, `validateProject threw: ${String((r as { error?: unknown }).error)}`);
  assert.deepEqual(snapshot(sb.root, sb.out), beside, 'something outside the output folder changed');
  await assertNoNewProcesses(procs);
  const { scratchDir } = defaultToolchainDirs();
  assert.deepEqual(
    readdirSync(scratchDir).filter((n) => n.startsWith(`${process.pid}-`)),
    [],
    'a scratch folder was left',
  );
  const test = r.value.steps.find((s) => s.name === 'test');
  assert.ok(test && !test.skipped, `the test step ran: ${JSON.stringify(r.value.steps)}`);
  return { ...r.value, test: test.outputTail };
}

/** A pid namespace or a pids cgroup ends processes that left the process group (setsid). */
const killsEscapees = (r: ValidationReport) => level.level !== 'none' || /pids cgroup/.test(r.containment ?? '');

/** Kills what a failed containment let escape, so one failing case leaves the machine clean. */
function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

describe('generated code run by the toolchain is contained', { timeout: 300_000 }, () => {
  let sb: Sandbox;
  before(() => (sb = makeSandbox()));
  after(() => sb.cleanup());

  it('this machine has the containment CI expects (OVERNIGHT_EXPECT_CONTAINMENT), and says which it has', async (t) => {
    t.diagnostic(`containment here: ${level.level}${level.reason ? ` (${level.reason})` : ''}`);
    if (!EXPECTED) return t.skip('no containment expected here (CI sets OVERNIGHT_EXPECT_CONTAINMENT)');
    assert.ok(LEVELS.includes(EXPECTED), `OVERNIGHT_EXPECT_CONTAINMENT must be one of ${LEVELS.join(', ')}`);
    assert.ok(LEVELS.indexOf(level.level) >= LEVELS.indexOf(EXPECTED), `expected ${EXPECTED}, this machine has ${level.level} (${level.reason})`);
  });

  it('the report says which containment ran', async () => {
    const box = await openContainment({ writable: [sb.out], tmpDir: sb.out });
    await box.close();
    assert.equal(box.level, level.level);
    // Less than CI's level is said first, in capitals; at CI's level nothing is.
    const weaker = level.level === 'namespaces+readonly' ? '' : 'WEAKER THAN CI \\(namespaces\\+readonly\\): ';
    if (level.level === 'none') assert.match(box.label, new RegExp(`^${weaker}no namespaces \\(`));
    else assert.match(box.label, new RegExp(`^${weaker}namespaces: user, network \\(loopback only\\), pid`));
  });

  it('a test that dials the host’s own address and 1.1.1.1 reaches neither; loopback works', async (t) => {
    if (level.level === 'none') return cannotRun(t, NO_NAMESPACES());
    const listener = await hostListener();
    const { target } = listener;
    try {
      plant(
        sb,
        ['net', 'net/http', 'net/http/httptest', 'testing', 'time'],
        `func TestDial(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	if _, err := http.Get(srv.URL); err != nil {
		t.Fatalf("LOOPBACK %v", err)
	}
	for _, addr := range []string{${target ? `"${target}", ` : ''}"1.1.1.1:80"} {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			c.Close()
		}
		t.Logf("DIAL %s: %v", addr, err)
	}
	t.Fail()
}`,
      );
      const r = await validate(sb, 60_000);
      assert.doesNotMatch(r.test, /LOOPBACK/, 'httptest on loopback works inside');
      if (target) assert.match(r.test, new RegExp(`DIAL ${target}: dial tcp ${target}: connect: network is unreachable`));
      assert.match(r.test, /DIAL 1\.1\.1\.1:80: dial tcp 1\.1\.1\.1:80: connect: network is unreachable/);
      assert.equal(listener.accepted(), 0, 'the host listener was reached');
      if (!target) return t.diagnostic('no non-loopback IPv4 address on this machine: only 1.1.1.1 was dialled');
      // The same test outside containment does reach the listener: the check above is not vacuous.
      const control = await runTool('go', ['test', '-count=1', './...'], { cwd: sb.out, env: toolchainEnv(), timeoutMs: 60_000 });
      assert.match(control.output, new RegExp(`DIAL ${target}: <nil>`));
      for (let i = 0; i < 20 && listener.accepted() === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(listener.accepted(), 1);
    } finally {
      listener.close();
    }
  });

  it('an endless loop with a setsid child is killed at the time limit; the child dies with it', async (t) => {
    const marker = `299.${process.pid}1`;
    plant(
      sb,
      ['os/exec', 'syscall', 'testing'],
      `func TestLoop(t *testing.T) {
	c := exec.Command("sleep", "${marker}")
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // leaves the process group
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	for {
	}
}`,
    );
    const started = Date.now();
    const r = await validate(sb, 12_000);
    const left = withMarker(marker);
    killAll(left);
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.equal(r.steps.find((s) => s.name === 'test')!.ok, false);
    const killed = /panic: test timed out after \w+|killed: the validation time limit ran out/.exec(r.test);
    assert.ok(killed, r.test);
    t.diagnostic(killed[0]);
    if (!killsEscapees(r)) return cannotRun(t, `a setsid child outlives the group kill without a pid namespace or cgroup: ${r.containment}`);
    assert.deepEqual(left, [], 'the setsid child outlived the run');
  });

  it('a test writing outside its folder and reading other processes’ environments gets nothing', async (t) => {
    if (level.level !== 'namespaces+readonly') return cannotRun(t, `needs the read-only mount level, this machine has ${level.level} (${level.reason})`);
    const secret = `hostile-secret-${process.pid}`;
    const holder = spawn('sleep', ['60'], { env: { ...process.env, OVERNIGHT_HOSTILE_SECRET: secret }, stdio: 'ignore' });
    try {
      plant(
        sb,
        ['os', 'testing'],
        `func TestEscape(t *testing.T) {
	t.Logf("WRITE %v", os.WriteFile(${JSON.stringify(sb.outside)}, []byte("pwned"), 0o644))
	b, err := os.ReadFile("/proc/${holder.pid}/environ")
	t.Logf("ENVIRON %q %v", b, err)
	t.Logf("ENV %q", os.Environ())
	t.Logf("INSIDE %v", os.WriteFile("inside.txt", []byte("mine"), 0o644))
	t.Fail()
}`,
      );
      const r = await validate(sb, 60_000);
      assert.match(r.test, /WRITE open \S+outside\.txt: read-only file system/);
      assert.match(r.test, new RegExp(`ENVIRON "" open /proc/${holder.pid}/environ: no such file or directory`));
      assert.ok(!r.test.includes(secret), 'the secret leaked');
      assert.match(r.test, /INSIDE <nil>/, 'the project folder stays writable');
      assert.equal(readFileSync(path.join(sb.out, 'tests', 'inside.txt'), 'utf8'), 'mine');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a test filling the disk stops at the file-size limit (64 MiB)', async (t) => {
    if (!level.tools.prlimit) return cannotRun(t, 'prlimit (util-linux) not found: no file-size limit');
    plant(
      sb,
      ['os', 'testing'],
      `func TestFill(t *testing.T) {
	f, err := os.Create("fill.bin")
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < 100; i++ {
		if _, err := f.Write(chunk); err != nil {
			t.Fatalf("FILL stopped at %d MiB: %v", i, err)
		}
	}
}`,
    );
    const r = await validate(sb, 60_000);
    const fill = path.join(sb.out, 'tests', 'fill.bin');
    assert.equal(statSync(fill).size, 64 * MiB);
    const stopped = /FILL stopped at 64 MiB: write fill\.bin: file too large|signal: file size limit exceeded/.exec(r.test);
    assert.ok(stopped, r.test);
    t.diagnostic(stopped[0]);
  });

  it('a bounded fork bomb hits the process cap, and nothing is left', async (t) => {
    const marker = `298.${process.pid}1`;
    plant(
      sb,
      ['fmt', 'os/exec', 'testing'],
      `func TestBomb(t *testing.T) {
	for i := 0; i < 300; i++ {
		if err := exec.Command("sleep", "${marker}").Start(); err != nil {
			fmt.Printf("BOMB stopped after %d: %v\\n", i, err)
			return
		}
	}
	fmt.Println("BOMB started 300")
}`,
    );
    const env = toolchainEnv();
    const built = await runTool('go', ['test', '-c', '-o', path.join(sb.out, 'bomb.test'), './tests'], { cwd: sb.out, env, timeoutMs: 60_000 });
    assert.equal(built.exitCode, 0, built.output);
    const scratch = path.join(sb.out, 'scratch');
    mkdirSync(scratch);
    const box = await openContainment({ writable: [sb.out], tmpDir: scratch, limits: { processes: 64 } });
    if (box.maxProcesses === null) return (await box.close(), cannotRun(t, `nothing caps processes here: ${box.label}`));
    const procs = descendants();
    try {
      const r = await runTool(path.join(sb.out, 'bomb.test'), [], { cwd: sb.out, env, timeoutMs: 30_000, containment: box });
      const stopped = /BOMB stopped after (\d+): fork\/exec \S+: resource temporarily unavailable/.exec(r.output);
      assert.ok(stopped && Number(stopped[1]) < 64, r.output);
      t.diagnostic(stopped[0]);
    } finally {
      await box.close();
      killAll(withMarker(marker));
    }
    await assertNoNewProcesses(procs);
    assert.deepEqual(withMarker(marker), []);
  });

  it('a fork bomb under the cap that then hangs: killed at the time limit with all its children', async () => {
    const marker = `297.${process.pid}1`;
    plant(
      sb,
      ['os/exec', 'syscall', 'testing'],
      `func TestBomb(t *testing.T) {
	for i := 0; i < 200; i++ {
		c := exec.Command("sleep", "${marker}")
		c.SysProcAttr = &syscall.SysProcAttr{Setsid: i%2 == 0}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for {
	}
}`,
    );
    const r = await validate(sb, 12_000);
    const left = withMarker(marker);
    killAll(left);
    if (killsEscapees(r)) assert.deepEqual(left, [], 'children outlived the run');
    else assert.equal(left.length, 100, 'only the setsid half escapes the group kill');
    assert.equal(existsSync(path.join(sb.out, 'tests', 'x_test.go')), true);
  });
});

describe('what a killed worker left is swept by the next validation', () => {
  it('scratch folders and pids cgroups of dead workers go; a live worker’s stay', async () => {
    const { scratchDir } = defaultToolchainDirs();
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    const live = spawn('sleep', ['60'], { stdio: 'ignore' });
    const deadScratch = path.join(scratchDir, `${dead.pid}-killed`);
    const liveScratch = path.join(scratchDir, `${live.pid}-running`);
    mkdirSync(path.join(deadScratch, 'tmp'), { recursive: true });
    writeFileSync(path.join(deadScratch, 'cover.out'), 'mode: set\n');
    mkdirSync(liveScratch, { recursive: true });
    const cgroups = ['/sys/fs/cgroup/pids/overnight-llm', '/sys/fs/cgroup/overnight-llm'].find((d) => existsSync(d));
    const deadCgroup = cgroups && path.join(cgroups, `${dead.pid}-1`);
    if (deadCgroup) mkdirSync(deadCgroup);
    try {
      await cleanUpAfterDeadWorkers();
      assert.equal(existsSync(deadScratch), false, 'the dead worker’s scratch folder is still there');
      assert.equal(existsSync(liveScratch), true, 'a live worker’s scratch folder was removed');
      if (deadCgroup) assert.equal(existsSync(deadCgroup), false, 'the dead worker’s cgroup is still there');
    } finally {
      live.kill('SIGKILL');
      rmSync(liveScratch, { recursive: true, force: true });
    }
  });
});
