/**
 * The REST API's response shapes, taken from the collector's own definitions (types only:
 * nothing of the collector is bundled), so the UI cannot drift from what the API sends.
 */
export type {
  DailyMetricsView,
  ModelListPage,
  ModelView,
  ObservationView,
  Page,
  PageMeta,
  ScoreListItem,
  ScoreView,
  SessionDetail,
  SessionView,
  TraceDetail,
  TraceListItem,
  TraceView,
  UsageByModelView,
  UserView,
} from '../../../collector/routes/views.js';
export type { JsonValue, Level, ObservationType } from '../../../collector/model.js';

/** GET /api/public/traces: a page, and where the next one starts. */
export interface TraceListPage {
  data: import('../../../collector/routes/views.js').TraceListItem[];
  meta: import('../../../collector/routes/views.js').PageMeta & { nextCursor: string | null };
}
