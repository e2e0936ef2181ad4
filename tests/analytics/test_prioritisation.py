import pytest

from msknet.analytics.prioritisation import (
    Result,
    propose_portfolio,
    rank,
    summarise,
    weighted_score,
)


def test_weighted_score_is_the_weighted_mean_on_the_same_scale():
    # 5 on a question weighted 2 and 2 on one weighted 1: (10 + 2) / 3 = 4.
    assert weighted_score({"a": 5, "b": 2}, {"a": 2, "b": 1}) == pytest.approx(4.0)


def test_equal_weights_give_the_plain_mean():
    assert weighted_score({"a": 1, "b": 4, "c": 4}, dict.fromkeys("abc", 1)) == 3.0


def test_weighted_score_needs_a_weight_for_every_scored_criterion():
    with pytest.raises(ValueError, match="No weight"):
        weighted_score({"a": 3, "z": 4}, {"a": 1})


def test_weighted_score_refuses_weights_adding_to_nothing():
    with pytest.raises(ValueError, match="more than 0"):
        weighted_score({"a": 3}, {"a": 0})


def test_summary_is_the_mean_over_panellists_with_range_and_count():
    result = summarise("n", [3.0, 4.5, 4.5])

    assert result.score == pytest.approx(4.0)
    assert (result.low, result.high, result.panellists) == (3.0, 4.5, 3)
    assert result.spread == pytest.approx(1.5)


def test_unscored_nomination_has_no_score_or_spread():
    result = summarise("n", [])

    assert (result.score, result.spread, result.panellists) == (None, None, 0)


def test_ranking_is_highest_first_with_shared_ranks_and_unscored_last():
    results = [summarise("low", [2.0]), summarise("none", []),
               summarise("top", [4.5]), summarise("tie-a", [3.0]),
               summarise("tie-b", [3.0])]

    ranked = rank(results)

    assert [(r.key, r.rank) for r in ranked] == [
        ("top", 1), ("tie-a", 2), ("tie-b", 2), ("low", 4), ("none", None)]


def test_portfolio_proposes_the_best_ranked_of_each_term():
    ranked = rank([summarise("a", [4.8]), summarise("b", [4.6]),
                   summarise("c", [4.0]), summarise("d", [3.0]),
                   summarise("e", [])])
    terms = {"a": "short", "b": "short", "c": "long", "d": "medium", "e": "medium"}

    portfolio = propose_portfolio(
        ranked, terms,
        icbs={"a": ["North Central London"], "c": ["North Central London",
                                                   "South East London"]},
        topics={"a": "Spinal services", "c": None, "d": "Spinal services"},
    )

    assert portfolio.proposed == {"long": "c", "medium": "d", "short": "a"}
    assert portfolio.icb_counts == {"North Central London": 2, "South East London": 1}
    assert portfolio.topic_counts == {"Spinal services": 2, "": 1}


def test_portfolio_leaves_a_term_empty_when_nothing_of_that_term_is_scored():
    ranked = rank([summarise("a", [4.0]), Result("b", None, None, None, 0)])

    portfolio = propose_portfolio(ranked, {"a": "long", "b": "short"})

    assert portfolio.proposed == {"long": "a", "medium": None, "short": None}
