"""Feedback without hidden tests: an nbconvert preprocessor, registered in nbgrader_config.py.

nbgrader puts the hidden tests back into graded notebooks and would show their code, and the
traceback lines that quote it, in feedback (nbgrader issues #917, #1363).
"""

from leaks import MIN_SECRET_LENGTH, redact
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from labs import BEGIN_HIDDEN, END_HIDDEN, norm, split_regions

HIDDEN_PLACEHOLDER = "# [hidden tests: they ran when your lab was graded; their code is not shown]"


class HideHiddenTests(Preprocessor):
    """Remove hidden tests from graded notebooks before feedback is rendered.

    The code between the hidden-test markers is replaced by one comment line, and every line
    of an error output (traceback) that quotes a hidden test line is replaced by
    ``[hidden test line]``. Scores, pass/fail and the visible tests are untouched. Registered
    for ``GenerateFeedback`` in nbgrader_config.py, after ``GetGrades``.
    """

    enabled = Bool(True).tag(config=True)
    placeholder = Unicode(HIDDEN_PLACEHOLDER, help="Comment shown where hidden tests were").tag(config=True)

    def preprocess(self, nb, resources):
        exact, visible = set(), set()
        for cell in nb.cells:
            outside, inside = split_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
            exact |= {norm(line) for line in inside if norm(line)}
            visible |= {norm(line) for line in outside}
        exact -= visible  # a line also shown in the visible part is no secret
        long = {line for line in exact if len(line) >= MIN_SECRET_LENGTH}
        for cell in nb.cells:
            if BEGIN_HIDDEN in cell.source:
                cell.source = self._strip(cell.source)
            if cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        output["traceback"] = [
                            redact(entry, exact, long) for entry in output.get("traceback", [])
                        ]
                        output["evalue"] = redact(output.get("evalue", ""), exact, long)
                    elif output.get("output_type") == "stream":
                        output["text"] = redact(output.get("text", ""), exact, long)
        return nb, resources

    def _strip(self, source):
        lines, hiding = [], False
        for line in source.split("\n"):
            if BEGIN_HIDDEN in line:
                hiding = True
                lines.append(line[: len(line) - len(line.lstrip())] + self.placeholder)
            elif END_HIDDEN in line:
                hiding = False
            elif not hiding:
                lines.append(line)
        return "\n".join(lines)
