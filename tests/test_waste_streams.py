"""Common random numbers across bins variants: each bin draws from its own streams, keyed by the run's
seed and the bin's id, so adding or removing bins leaves every other bin's deposits, day factors,
sensor noise and failures as they were (generated bins: a recovery check of the seeding, not a
validation of the model)."""

import numpy as np

from tests.test_bins import _line_matrices
from twin.models.waste import BinSpec, Fleet, Policy, Sensors, WasteSim


def _sim(ids, seed=5):
    rate = {"a": 1.0, "b": 1.4, "c": 0.7}  # l/h; a bin keeps its rate in every variant
    bins = [BinSpec(i, 80.0, rate.get(i, 1.1), np.ones(168)) for i in ids]
    D, T = _line_matrices(len(bins))
    return WasteSim(bins, Fleet(D, T), Policy("fixed", (0, 3)), Sensors(failures_per_year=30), days=21,
                    seed=seed, day_log_sd=0.3)


def test_adding_or_removing_a_bin_leaves_the_others_draws_unchanged():
    base = _sim(["a", "b", "c"])
    more = _sim(["a", "b", "c", "new-0", "new-1"])
    fewer = _sim(["a", "c"])
    for other, rows in ((more, [0, 1, 2]), (fewer, [0, 2])):
        kept = [["a", "b", "c"].index(i) for i in [b.id for b in other.bins] if i in ("a", "b", "c")]
        assert kept == rows
        np.testing.assert_array_equal(other.deposits[: len(rows)], base.deposits[rows])
        np.testing.assert_array_equal(other.noise[: len(rows)], base.noise[rows])
        assert other.down[: len(rows)] == [base.down[i] for i in rows]


def test_the_streams_follow_the_seed_and_the_bin_not_its_position():
    # the same bin with the same rate draws the same hours whatever the other bins are
    same_a, same_a2 = _sim(["a", "x"]), _sim(["a", "y"])
    np.testing.assert_array_equal(same_a.deposits[0], same_a2.deposits[0])
    assert not np.array_equal(same_a.deposits[1], same_a2.deposits[1])  # two bins differ
    assert not np.array_equal(_sim(["a"], seed=5).deposits, _sim(["a"], seed=6).deposits)  # seeded
