"""nbgrader configuration of the student edition: only what `make validate` and the Validate button use.

The instructor's course has its own nbgrader_config.py (sources, release, feedback); a student only
validates, so this sets the same per-cell time limit the grader uses.
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-from-scratch"
# Per-cell limit while validating, as when the lab is graded: a student's infinite loop is stopped
# after a minute and that cell fails; the other cells still run.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
