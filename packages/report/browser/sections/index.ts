import type { Section, SectionKind } from '../../src/model.js';
import { renderHeader } from './header.js';
import { renderWarnings } from './warnings.js';
import { renderValidation } from './validation.js';
import { renderPaper, renderPaperPending } from './paper.js';
import { renderWinners } from './winners.js';
import { renderSurface } from './surface.js';
import { renderEnsemble } from './ensemble.js';
import { renderRegimes } from './regimes.js';
import { renderTrades } from './trades.js';
import { renderOverfitting } from './overfitting.js';
import { renderWalkForward } from './walk-forward.js';
import { renderStability } from './stability.js';
import { renderFoldPbo } from './fold-pbo.js';
import { renderPareto } from './pareto.js';
import { renderUniverse } from './universe.js';

type Renderer<K extends SectionKind> = { title: string; render(el: HTMLElement, s: Extract<Section, { kind: K }>): void };

/** One renderer per section kind (src/model.ts); a new section adds its line here. */
export const RENDERERS: { [K in SectionKind]: Renderer<K> } = {
  header: { title: 'Run', render: renderHeader },
  warnings: { title: 'Warnings', render: renderWarnings },
  validation: { title: 'Validation', render: renderValidation },
  paper: { title: 'Paper trading', render: renderPaper },
  paper_pending: { title: 'Paper trading', render: renderPaperPending },
  winners: { title: 'Best parameters per regime', render: renderWinners },
  surface: { title: 'Parameter surface', render: renderSurface },
  ensemble: { title: 'Ensemble weights', render: renderEnsemble },
  regimes: { title: 'Regime statistics', render: renderRegimes },
  trades: { title: 'Trades and transitions', render: renderTrades },
  overfitting: { title: 'Overfitting (PBO)', render: renderOverfitting },
  walk_forward: { title: 'Walk-forward', render: renderWalkForward },
  stability: { title: 'Parameter stability', render: renderStability },
  fold_pbo: { title: 'Overfitting per fold', render: renderFoldPbo },
  pareto: { title: 'Pareto fronts per regime', render: renderPareto },
  universe: { title: 'Universe', render: renderUniverse },
};
