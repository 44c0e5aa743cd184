"""Unit tests of tools/grader.py's decoys: hidden tests with their expected results changed.

The end-to-end proofs (a thief that calls check_against's reference, or reads the expected values
from the cell's source, is flagged; honest and wrong-but-honest students are not) are in
tests/test_attacks.py and tests/test_nbgrader_labs.py.
"""

import random
import sys

import numpy as np
import pytest
from nbgrader_support import COURSE

sys.path.insert(0, str(COURSE / "tools"))
import grader  # noqa: E402

CHECK = """# Hidden tests (2 points): softmax against a reference; é in a comment.
### BEGIN HIDDEN TESTS
def reference_softmax(Z):
    exps = np.exp(Z - Z.max(axis=1, keepdims=True))
    if Z.size == 0:
        return exps
    return exps / exps.sum(axis=1, keepdims=True)


def helper_not_passed(x):
    return x + 1


check_against("softmax", reference_softmax, softmax, [Case("two rows", np.ones((2, 3)))], rtol=1e-9)
### END HIDDEN TESTS"""


def _helper(helper_source):
    namespace = {}
    exec(helper_source, namespace)
    return next(v for k, v in namespace.items() if k.startswith("_") and callable(v))


def test_a_check_against_reference_returns_through_the_helper_and_is_restored_unchanged():
    helper, decoy, restore = grader.decoy_cell(CHECK, random.Random(0))
    name = next(line.split("(")[0][4:] for line in helper.splitlines() if line.startswith("def "))
    assert decoy.count(f"return {name}(") == 2  # both returns of the reference
    assert "return x + 1" in decoy  # a function not handed to check_against is left alone
    assert decoy.splitlines()[0] == CHECK.splitlines()[0]  # comments and layout are kept
    assert restore.startswith("def reference_softmax(Z):") and name not in restore
    assert restore in CHECK


def test_the_helper_changes_every_kind_of_result_and_never_raises():
    helper = _helper(grader.decoy_cell(CHECK, random.Random(1))[0])
    x = np.array([[0.2, 0.8], [0.0, 1.0]])
    changed = helper(x)
    assert changed.shape == x.shape and not np.isclose(changed, x, rtol=0.05, atol=0.04).any()
    assert helper(np.arange(3)).dtype.kind == "f"  # integers become floats: the type check fails
    assert not np.isclose(helper(2.5), 2.5, rtol=0.05)
    for value in (True, False, None, "text", iter([1])):
        other = helper(value)
        assert other != value and other is not value  # not the negation of a bool either
        assert other not in (True, False)
    a, b = helper((np.ones(2), 3.0))
    assert not np.isclose(a, 1, rtol=0.05).any() and not np.isclose(b, 3.0, rtol=0.05)
    assert set(helper({"W": np.ones(2)})) == {"W"}


@pytest.mark.parametrize("seed", range(20))
def test_expected_float_literals_change_by_at_least_ten_percent(seed):
    source = 'x = "é"; assert_close("softmax(big)", softmax(Z), np.array([[0.2689414213699951, 0.5]]))'
    _, decoy, restore = grader.decoy_cell(source, random.Random(seed))
    assert restore == ""
    assert decoy.startswith('x = "é"; assert_close("softmax(big)", softmax(Z), np.array([[')
    numbers = [float(t) for t in decoy.split("[[")[1].split("]]")[0].split(", ")]
    assert abs(numbers[0] / 0.2689414213699951 - 1) >= 0.099 and abs(numbers[1] / 0.5 - 1) >= 0.099


def test_no_decoy_where_a_change_might_still_pass_or_nothing_can_change():
    rng = random.Random(2)
    # a loose tolerance: a 10 percent change might pass
    assert grader.decoy_cell('assert_close("a", f(), 0.5, atol=0.5)', rng) is None
    assert grader.decoy_cell('assert_close("a", f(), 0.5, rtol=tol)', rng) is None
    # integers (labels, counts): a wrong but honest answer could equal a changed one
    assert grader.decoy_cell('assert_equal("labels", f(), np.array([0, 1, 2]))', rng) is None
    assert grader.decoy_cell('assert_close("a", f(), 2 / 3)', rng) is None
    # thresholds and reference functions defined elsewhere
    assert grader.decoy_cell('assert_between("accuracy", acc, 0.8, 1.0)', rng) is None
    assert grader.decoy_cell('check_against("f", reference_f, f, cases)', rng) is None
    assert grader.decoy_cell("this is not Python (", rng) is None
