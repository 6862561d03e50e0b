import { mkdirSync } from 'node:fs';
import { pathsRecord, workspacePaths, writeJsonAtomic, type Manifest, type WorkspacePaths } from '@regimen/core';
import { isoTime } from '@regimen/data';
import { sliceBars, type RunContext } from '../context.js';
import { describeFolds, type Fold } from './fold-plan.js';

/**
 * A fold of a walk-forward is run by today's phases as a workspace of its own (folds/fold_<k>/,
 * the same layout and schemas), with the data cut at the end of its out-of-sample window — the
 * phases cannot see a bar after it — and its split set to its windows. Trial signals are the one
 * exception to the layout: a trial's positions do not depend on the fold, so every fold's
 * performance files point at one signals file per trial in the run's own signals/ folder.
 */
export function foldContext(ctx: RunContext, fold: Fold): RunContext {
  const own = workspacePaths(ctx.paths.fold(fold.index));
  const paths: WorkspacePaths = { ...own, trialSignals: ctx.paths.trialSignals };
  return {
    ...ctx,
    paths,
    bars: sliceBars(ctx.bars, fold.test.end),
    split: { trainStart: fold.train.start, trainEnd: fold.train.end, testStart: fold.test.start, testStartTime: isoTime(ctx.bars.time[fold.test.start]!) },
    stages: {},
  };
}

/** The folders of every fold and its manifest (which fold, of how many, whose run). */
export function openFoldWorkspaces(ctx: RunContext, folds: Fold[], manifest: Manifest): RunContext[] {
  const plan = describeFolds(folds, ctx.bars.time);
  return folds.map((fold, k) => {
    const f = foldContext(ctx, fold);
    for (const d of [f.paths.signals, f.paths.regimes, f.paths.performance, f.paths.analysis, f.paths.metadata, f.paths.classifiers, f.paths.checkpoints]) mkdirSync(d, { recursive: true });
    const own: Manifest = {
      ...manifest,
      paths: pathsRecord(f.paths),
      split: { train_bars: fold.train.end - fold.train.start, test_bars: fold.test.end - fold.test.start, test_start: plan[k]!.out_of_sample.first },
      fold: { index: k, of: folds.length, workspace: ctx.paths.base },
    };
    delete own.folds;
    writeJsonAtomic(f.paths.manifest, own);
    return f;
  });
}
