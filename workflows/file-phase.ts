// One file phase (or one file of a repair round) in the workflow. Since the model queue, the
// model's work and the workspace's are separate activities on their own task queues: the
// whole strategy asks the workspace for the prompt, the model for the file, the workspace to
// write it; the guided strategy runs its loops (guided-code.ts, guided-tests.ts) here, each
// model call on the model queue and each check on the workspace. Runs recorded before that
// call ONE activity per file, which does it all on one worker.
import { filePathFor, isContractPhase, type ContractPhase } from '../core/layout.js';
import { composeCodeFile } from '../core/guided-code.js';
import { composeTestsFile } from '../core/guided-tests.js';
import type { PipelineRun } from './pipeline-run.js';
import type { ApiSpec, FilePhase, FileRef, LlmUsage, RepairRequest } from '../core/types.js';

export async function writeFile(
  run: PipelineRun,
  spec: ApiSpec,
  phase: FilePhase,
  repair?: RepairRequest,
): Promise<{ usage: LlmUsage; files: FileRef[]; notes?: string[] }> {
  const summary = `${phase} → ${filePathFor(phase, spec.resource)}${repair ? ` (repair round ${repair.round})` : ''}`;
  const { input, workflowId } = run;
  if (!run.modelQueue) {
    const activity = input.strategy === 'guided' ? run.legacyFilePhase.composeFile : run.legacyFilePhase.generateFile;
    const { prompt, outputDir, dbPath, llm, coverageGoal, git } = input;
    const result = await run.callModel(() =>
      activity.executeWithOptions({ ...run.llmOptions, summary }, [{ workflowId, phase, prompt, spec, outputDir, dbPath, llm, coverageGoal, repair, git }]),
    );
    return { usage: result.usage, files: [result.file] };
  }
  const file = new FileWork(run, spec, phase, repair, summary);
  const result: { file: FileRef; usage: LlmUsage; note?: string } =
    input.strategy === 'guided' && isContractPhase(phase)
      ? await file.composeCode(phase)
      : input.strategy === 'guided' && phase === 'tests'
        ? await file.composeTests()
        : await file.wholeFile();
  return { usage: result.usage, files: [result.file], ...(result.note ? { notes: [result.note] } : {}) };
}

/** The activities of one file, with what each needs and a summary the Web UI shows. */
class FileWork {
  constructor(
    private readonly run: PipelineRun,
    private readonly spec: ApiSpec,
    private readonly phase: FilePhase,
    private readonly repair: RepairRequest | undefined,
    private readonly summary: string,
  ) {}

  /** Where the workspace writes, and what its commit message says. */
  private get target() {
    const { workflowId, input } = this.run;
    const { spec, phase, repair } = this;
    return { workflowId, phase, spec, outputDir: input.outputDir, repair, git: input.git, model: input.llm.model };
  }

  /** What a model call needs: the run's model settings and its response cache (the model worker may use its own). */
  private get model() {
    const { llm, dbPath } = this.run.input;
    return { spec: this.spec, llm, dbPath };
  }

  private workspace<T>(what: string, call: (options: { summary: string }) => Promise<T>): Promise<T> {
    return call({ ...this.run.toolchainOptions, summary: `${this.summary}: ${what}` });
  }

  private ask<T>(what: string, call: (options: { summary: string }) => Promise<T>): Promise<T> {
    return this.run.callModel(() => call({ ...this.run.llmOptions, summary: `${this.summary}: ${what}` }));
  }

  /** The seed's flow: one prompt, one file. */
  async wholeFile(): Promise<{ file: FileRef; usage: LlmUsage; note?: string }> {
    const { run, spec, phase, repair } = this;
    const { outputDir, coverageGoal } = run.input;
    const { prompt } = await this.workspace('prompt', (o) =>
      run.toolchain.fileRequest.executeWithOptions(o, [{ spec, phase, outputDir, repair, coverageGoal }]),
    );
    const answer = await this.ask('model', (o) => run.llm.answerFile.executeWithOptions(o, [{ ...this.model, phase, prompt, repair: repair !== undefined }]));
    // The README gets the fidelity list appended (only when the run has one: runs recorded before it replay unchanged).
    const fidelity = phase === 'readme' && run.state.fidelity ? { fidelity: run.state.fidelity } : {};
    const { file } = await this.workspace('write', (o) =>
      run.toolchain.writeAnsweredFile.executeWithOptions(o, [{ ...this.target, content: answer.content, ...fidelity }]),
    );
    return { file, usage: answer.usage, ...(answer.note ? { note: answer.note } : {}) };
  }

  composeCode(phase: ContractPhase): Promise<{ file: FileRef; usage: LlmUsage }> {
    const { run, repair } = this;
    const target = { ...this.target, phase };
    return composeCodeFile({
      start: () => this.workspace('contract', (o) => run.toolchain.startCodeFile.executeWithOptions(o, [target])),
      ask: (hole, attempt, fix) =>
        this.ask(`${hole} #${attempt + 1}${fix ? ' (fix)' : ''}`, (o) =>
          run.llm.functionCandidate.executeWithOptions(o, [{ ...this.model, phase, hole, repair, attempt, fix }]),
        ),
      check: (hole, bodies, candidate) =>
        this.workspace(`check ${hole}`, (o) => run.toolchain.checkFunction.executeWithOptions(o, [{ ...target, hole, bodies, candidate }])),
      finish: async (outcome) => (await this.workspace('write', (o) => run.toolchain.finishCodeFile.executeWithOptions(o, [{ ...target, outcome }]))).file,
    });
  }

  composeTests(): Promise<{ file: FileRef; usage: LlmUsage }> {
    const { run, spec, repair } = this;
    const target = { ...this.target, phase: 'tests' as const };
    return composeTestsFile(
      {
        start: () => this.workspace('cases so far', (o) => run.toolchain.startTestsFile.executeWithOptions(o, [target])),
        propose: (ask, note) =>
          this.ask('cases', (o) => run.llm.proposeTestCases.executeWithOptions(o, [{ ...this.model, ask, note, repair: repair !== undefined }])),
        keepPassing: (cases) => this.workspace('go test', (o) => run.toolchain.keepPassingCases.executeWithOptions(o, [{ ...target, cases }])),
        coverage: () => this.workspace('coverage', (o) => run.toolchain.testsCoverage.executeWithOptions(o, [target])),
        finish: async (outcome) =>
          (await this.workspace('write', (o) => run.toolchain.finishTestsFile.executeWithOptions(o, [{ ...target, ...outcome }]))).file,
      },
      spec,
      run.input.coverageGoal,
      repair,
    );
  }
}
