"""nbgrader configuration of the course: sources in solutions/, student versions in labs/.

Every option below exists in nbgrader 0.9.5 (tests/test_nbgrader_tools.py checks each one, because
nbgrader silently ignores a misspelt option in this file).
"""

import os
import sys

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "nn-from-scratch"
# The folder of this file, absolute: nbgrader warns about (and resolves) a relative root.
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Lab folders hold only the notebook: nnscratch is installed, never copied next to it.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.npz", "gradebook.db", "feedback"]

# Per-cell execution limit while validating and autograding. The default of 30 s is close to
# what a slow laptop needs for the training cells; 60 s leaves room for that, and still stops a
# student's infinite loop in a minute instead of hanging the grader.
c.Execute.timeout = 60
# On a timeout the kernel is interrupted (not restarted): the cell gets a CellTimeoutError and
# scores 0, and grading goes on with the next cells. (nbgrader's default; stated to be explicit.)
c.Execute.interrupt_on_timeout = True

# What the student sees in place of each solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A test cell the student deleted is put back (with a comment saying so) and graded. nbgrader's
# default (False) leaves it out and gives it no score at all, as if it needed manual grading.
c.OverwriteCells.add_missing_cells = True

# Feedback must not show hidden tests: nbgrader puts them back into the graded notebook and would
# print their code and the traceback lines that quote it (nbgrader issues #917, #1363).
# HideHiddenTests (tools/feedback_filter.py) removes both and keeps the scores.
sys.path.insert(0, os.path.join(HERE, "tools"))
from feedback_filter import HideHiddenTests  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbconvert.preprocessors.sanitize import SanitizeHTML  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

# `make feedback` renders its own pages (tools/autograde.py: hidden tests as pass/fail and hint,
# student HTML stripped). These settings keep nbgrader's own generate_feedback, should an
# instructor run it, just as safe: SanitizeHTML is a no-op unless enabled.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, SanitizeHTML, CSSHTMLHeaderPreprocessor]
c.SanitizeHTML.enabled = True

c.Exchange.root = "/tmp/exchange"
