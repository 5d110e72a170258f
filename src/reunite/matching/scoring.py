"""Scoring with a three-class Fellegi–Sunter model, estimated from the data by EM.

Classic Fellegi–Sunter has two classes, "same person" and "not". Among the pairs blocking
brings together, "not" hides two very different populations: *relatives* (siblings, twins,
cousins: same surname, same parents, same town, a different given name or date) and
*others* (namesakes: same given name, different family). With two classes, agreement on
surname and parents — strong against random strangers — makes a sibling look like the
child. So the model has latent classes (match, relative, namesake, other), each with its
own distribution of levels per field, and the match probability is the posterior of the
"match" class:

    P(match | γ) = π_M Π m(γ_f) / Σ_c π_c Π p_c(γ_f)

Parameters are estimated on the blocked candidate pairs by EM, starting from (and
regularised by, as a Dirichlet prior) the domain priors below. People's decisions
(confirmed / rejected pairs) enter the estimation with their known class.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reunite.matching.comparisons import FIELDS, MISSING, Vector

MATCH, RELATIVE, NAMESAKE, OTHER = "match", "relative", "namesake", "other"
CLASSES = (MATCH, RELATIVE, NAMESAKE, OTHER)
# The relative class is defined by what a family shares; left free, EM would repurpose it
# for whatever population is largest, so its family fields are held near the prior.
ANCHOR = {RELATIVE: 30.0}

# Domain priors: how often each level appears, per class, before seeing any data. Order of
# levels as in comparisons.LEVELS.
PRIORS: dict[str, dict[str, tuple[float, ...]]] = {
    MATCH: {
        "given_name": (0.80, 0.10, 0.06, 0.04),
        "surname": (0.80, 0.06, 0.04, 0.10),
        "father": (0.80, 0.05, 0.07, 0.08),
        "mother": (0.85, 0.07, 0.08),
        "birth_date": (0.78, 0.06, 0.03, 0.03, 0.03, 0.03, 0.01, 0.01, 0.02),
        "sex": (0.99, 0.01),
        "birth_place": (0.70, 0.04, 0.10, 0.16),
    },
    RELATIVE: {
        "given_name": (0.03, 0.01, 0.04, 0.92),
        "surname": (0.90, 0.03, 0.02, 0.05),
        "father": (0.80, 0.02, 0.07, 0.11),
        "mother": (0.80, 0.07, 0.13),
        "birth_date": (0.05, 0.03, 0.005, 0.005, 0.01, 0.01, 0.03, 0.25, 0.61),
        "sex": (0.50, 0.50),
        "birth_place": (0.80, 0.02, 0.08, 0.10),
    },
    NAMESAKE: {
        "given_name": (0.85, 0.05, 0.05, 0.05),
        "surname": (0.25, 0.10, 0.01, 0.64),
        "father": (0.13, 0.03, 0.03, 0.81),
        "mother": (0.09, 0.02, 0.89),
        "birth_date": (0.02, 0.03, 0.005, 0.01, 0.01, 0.01, 0.25, 0.30, 0.365),
        "sex": (0.90, 0.10),
        "birth_place": (0.20, 0.02, 0.30, 0.48),
    },
    OTHER: {
        "given_name": (0.05, 0.02, 0.03, 0.90),
        "surname": (0.40, 0.10, 0.01, 0.49),
        "father": (0.09, 0.03, 0.03, 0.85),
        "mother": (0.09, 0.02, 0.89),
        "birth_date": (0.02, 0.03, 0.005, 0.01, 0.01, 0.01, 0.25, 0.30, 0.365),
        "sex": (0.50, 0.50),
        "birth_place": (0.15, 0.02, 0.30, 0.53),
    },
}
PRIOR_SHARES = {MATCH: 0.05, RELATIVE: 0.05, NAMESAKE: 0.45, OTHER: 0.45}
# No level is ever impossible: a floor keeps one clerical slip from vetoing a match.
PROBABILITY_FLOOR = 0.001


def _copy(table: Mapping[str, Iterable[float]]) -> dict[str, list[float]]:
    return {name: list(values) for name, values in table.items()}


def _default_levels() -> dict[str, dict[str, list[float]]]:
    return {c: _copy(PRIORS[c]) for c in CLASSES}


@dataclass
class Model:
    """The parameters of the scorer; serialisable as JSON."""

    levels: dict[str, dict[str, list[float]]] = field(default_factory=_default_levels)
    shares: dict[str, float] = field(default_factory=lambda: dict(PRIOR_SHARES))
    # The share of requests whose child is among the indexed records at all.
    found_rate: float = 0.5
    trained_on_pairs: int = 0
    _logs: list[list[list[float]]] | None = field(default=None, repr=False, compare=False)
    # Vectors repeat endlessly (a few thousand patterns for millions of pairs): memoise.
    _ratios: dict[Vector, float] = field(default_factory=dict, repr=False, compare=False)
    _rivals: dict[Vector, str] = field(default_factory=dict, repr=False, compare=False)
    _explained: dict[Vector, tuple[str, tuple[tuple[str, str, float], ...]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def _tables(self) -> list[list[list[float]]]:
        """Return log2 probabilities as [class][field][level]."""
        if self._logs is None:
            self._logs = [
                [[math.log2(p) for p in self.levels[c][f]] for f in FIELDS] for c in CLASSES
            ]
        return self._logs

    def class_scores(self, vector: Vector) -> list[float]:
        """Return log2(π_c Π p_c) for each class, in CLASSES order."""
        tables = self._tables()
        scores = []
        for index, name in enumerate(CLASSES):
            total = math.log2(self.shares[name])
            table = tables[index]
            for field_index, level in enumerate(vector):
                if level != MISSING:
                    total += table[field_index][level]
            scores.append(total)
        return scores

    def log_odds(self, vector: Vector) -> float:
        """Return log2 of the odds that the pair is the same child."""
        match, *others = self.class_scores(vector)
        top = max(others)
        return match - top - math.log2(sum(2.0 ** (s - top) for s in others))

    def probability(self, vector: Vector) -> float:
        """Return the probability that the pair is the same child, judged on its own."""
        return probability_from_log_odds(self.log_odds(vector))

    def log_likelihood_ratio(self, vector: Vector) -> float:
        """Return log2 P(γ | same child) / P(γ | not), free of any prior."""
        ratio = self._ratios.get(vector)
        if ratio is None:
            share = self.shares[MATCH]
            ratio = self.log_odds(vector) - math.log2(share / (1.0 - share))
            self._ratios[vector] = ratio
        return ratio

    def request_posteriors(self, log_ratios: list[float]) -> list[float]:
        """Return, for one request's blocked candidates, the probability that each is its child.

        A request seeks one child, who is among the records with probability `found_rate`,
        equally likely any of the K candidates a priori. Then
        P(candidate j) = (p/K)·LR_j / ((1 − p) + (p/K)·Σ_k LR_k).
        A lone strong candidate stands out; a namesake beside the child, or two twins, share.
        """
        if not log_ratios:
            return []
        top = max(log_ratios)
        scale = self.found_rate / len(log_ratios)
        # Everything is multiplied by 2^-top to stay within floating point range.
        ratios = [2.0 ** (r - top) for r in log_ratios]
        denominator = (1.0 - self.found_rate) * 2.0 ** min(-top, 1000.0) + scale * sum(ratios)
        return [scale * ratio / denominator for ratio in ratios]

    def rival(self, vector: Vector) -> str:
        """Name the likeliest other explanation: a relative, a namesake, or another child."""
        found = self._rivals.get(vector)
        if found is None:
            scores = self.class_scores(vector)
            found = CLASSES[max(range(1, len(CLASSES)), key=lambda i: scores[i])]
            self._rivals[vector] = found
        return found

    def explanation(self, vector: Vector) -> tuple[str, tuple[tuple[str, str, float], ...]]:
        """Return the rival and the explanation of a vector (memoised: patterns repeat)."""
        found = self._explained.get(vector)
        if found is None:
            found = self._explained[vector] = (self.rival(vector), tuple(self.explain(vector)))
        return found

    def explain(self, vector: Vector) -> list[tuple[str, str, float]]:
        """List (field, level, bits) of evidence for a match over the rival explanation.

        The bits of all fields plus the log prior ratio add up exactly to the log odds of
        "the same child" against the rival (a relative, or another child).
        """
        from reunite.matching.comparisons import LEVELS

        tables = self._tables()
        match_table = tables[0]
        rival_table = tables[CLASSES.index(self.rival(vector))]
        out = []
        for index, (name, level) in enumerate(zip(FIELDS, vector, strict=True)):
            if level == MISSING:
                out.append((name, "missing", 0.0))
            else:
                bits = match_table[index][level] - rival_table[index][level]
                out.append((name, LEVELS[name][level], bits))
        return out

    def to_json(self) -> str:
        """Serialise the parameters."""
        return json.dumps(
            {
                "levels": self.levels,
                "shares": self.shares,
                "found_rate": self.found_rate,
                "trained_on_pairs": self.trained_on_pairs,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Load parameters saved by to_json."""
        data: dict[str, Any] = json.loads(text)
        return cls(
            levels={c: _copy(v) for c, v in data["levels"].items()},
            shares={c: float(v) for c, v in data["shares"].items()},
            found_rate=float(data.get("found_rate", 0.5)),
            trained_on_pairs=int(data.get("trained_on_pairs", 0)),
        )


def estimate(
    vectors: Iterable[Vector],
    *,
    start: Model | None = None,
    labelled: Mapping[Vector, tuple[int, int]] | None = None,
    iterations: int = 40,
    prior_strength: float = 100.0,
) -> Model:
    """Estimate the three classes' level distributions and shares by EM on blocked pairs.

    `labelled` maps vectors to (confirmed, rejected) counts from people's decisions: a
    confirmed pair counts for the match class, a rejected one for the non-match classes in
    proportion to how well each explains it. `prior_strength` is the weight, in pairs, of
    the domain priors (a Dirichlet prior), which keeps rare levels from collapsing.
    """
    model = start or Model()
    patterns = Counter(vectors)
    total = sum(patterns.values())
    known = dict(labelled or {})
    if total == 0 and not known:
        return model
    levels = {c: _copy(model.levels[c]) for c in CLASSES}
    shares = dict(model.shares)
    # Each pattern as (count, [(field, level)] of its known fields): the inner loop then
    # touches nothing but lists and floats.
    observed = [
        (count, [(f, level) for f, level in enumerate(vector) if level != MISSING])
        for vector, count in patterns.items()
    ]
    for _ in range(iterations):
        current = Model(levels=levels, shares=shares)
        logs = current._tables()
        log_shares = [math.log2(shares[c]) for c in CLASSES]
        counts = {
            c: {f: [prior_strength * ANCHOR.get(c, 1.0) * p for p in PRIORS[c][f]] for f in FIELDS}
            for c in CLASSES
        }
        tables = [[counts[c][f] for f in FIELDS] for c in CLASSES]
        mass = [0.0] * len(CLASSES)
        classes = range(len(CLASSES))
        for count, present in observed:
            scores = [
                log_shares[c] + sum(logs[c][f][level] for f, level in present) for c in classes
            ]
            top = max(scores)
            weights = [2.0 ** (score - top) for score in scores]
            scale = count / sum(weights)
            for c in classes:
                weight = weights[c] * scale
                mass[c] += weight
                table = tables[c]
                for f, level in present:
                    table[f][level] += weight
        for vector, (confirmed, rejected) in known.items():
            _add(counts[MATCH], vector, float(confirmed))
            _, *rivals = _posteriors(current, vector)
            rest = sum(rivals) or 1.0
            for name, posterior in zip(CLASSES[1:], rivals, strict=True):
                _add(counts[name], vector, rejected * posterior / rest)
        levels = {c: {f: _normalise(counts[c][f]) for f in FIELDS} for c in CLASSES}
        new_shares = (
            {c: max(mass[i] / total, 1e-6) for i, c in enumerate(CLASSES)} if total else shares
        )
        shift = max(abs(new_shares[c] - shares[c]) for c in CLASSES)
        shares = new_shares
        if shift < 1e-5:
            break
    return Model(levels=levels, shares=shares, trained_on_pairs=total)


def probability_from_log_odds(log_odds: float) -> float:
    """Turn log2 odds into a probability without overflow."""
    if log_odds > 60:
        return 1.0
    if log_odds < -60:
        return 0.0
    odds: float = 2.0**log_odds
    return odds / (1.0 + odds)


def _posteriors(model: Model, vector: Vector) -> list[float]:
    scores = model.class_scores(vector)
    top = max(scores)
    weights = [2.0 ** (s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


def _add(counts: dict[str, list[float]], vector: Vector, amount: float) -> None:
    for name, level in zip(FIELDS, vector, strict=True):
        if level != MISSING:
            counts[name][level] += amount


def _normalise(counts: list[float]) -> list[float]:
    total = sum(counts)
    shares = [max(c / total, PROBABILITY_FLOOR) for c in counts]
    scale = sum(shares)
    return [s / scale for s in shares]
