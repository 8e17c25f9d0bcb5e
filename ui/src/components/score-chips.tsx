/** Scores as compact name: value chips; low numeric scores (below 0.5) stand out. A comment, when given, shows on hover. */
import type { ScoreView } from '../api/types.js';
import { formatScoreValue } from '../format.js';

type ChipScore = Pick<ScoreView, 'id' | 'name' | 'value' | 'stringValue' | 'dataType' | 'source'> & { comment?: string | null };

export function ScoreChips({ scores }: { scores: readonly ChipScore[] }) {
  if (scores.length === 0) return null;
  return (
    <span class="score-chips">
      {scores.map((score) => {
        const low = score.dataType === 'NUMERIC' && score.value !== null && score.value < 0.5;
        const title = [`${score.name} (${score.dataType.toLowerCase()}, ${score.source})`, score.comment].filter(Boolean).join(': ');
        return (
          <span key={score.id} class={`score-chip${low ? ' low' : ''}`} title={title}>
            <span class="score-name">{score.name}</span>
            <span class="score-value">{formatScoreValue(score)}</span>
          </span>
        );
      })}
    </span>
  );
}
