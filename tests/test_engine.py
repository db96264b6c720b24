"""The result algebra under the query language: set operations on sorted docnum arrays."""
import numpy as np
import pytest

from search.embedded.hits import Hits, sorted_unique


@pytest.mark.parametrize("values", [[], [7], [3, 3, 3], [9, 1, 4, 1, 9, 2, 0]])
def test_sorted_unique_is_numpys_unique(values):
    values = np.array(values, dtype=np.int64)
    assert sorted_unique(values).tolist() == np.unique(values).tolist()


def test_sorted_unique_on_many_random_docnums():
    values = np.random.default_rng(1).integers(0, 5000, 20000)
    assert np.array_equal(sorted_unique(values), np.unique(values))


def test_or_adds_the_scores_of_documents_both_sides_match():
    left = Hits(np.array([1, 4, 9]), np.array([1.0, 2.0, 3.0], np.float32))
    right = Hits(np.array([4, 5]), np.array([10.0, 20.0], np.float32))
    both = left | right
    assert both.docs.tolist() == [1, 4, 5, 9]
    assert both.scores.tolist() == [1.0, 12.0, 20.0, 3.0]


def test_and_and_not_keep_sorted_docnums():
    left = Hits(np.array([1, 4, 9]), np.array([1.0, 2.0, 3.0], np.float32))
    right = Hits(np.array([4, 9, 12]), np.array([1.0, 1.0, 1.0], np.float32))
    assert (left & right).docs.tolist() == [4, 9]
    assert (left & right).scores.tolist() == [3.0, 4.0]
    assert (left - right).docs.tolist() == [1]
