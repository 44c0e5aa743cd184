"""nbgrader configuration of the course: sources in solutions/, student versions in labs/."""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-from-scratch"
c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Lab folders hold only the notebook: nnscratch is installed, never copied next to it.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.npz", "gradebook.db"]

# Per-cell execution limit while validating and autograding. The default of 30 s is close to
# what a slow laptop needs for the training cells; 60 s leaves room for that, and still stops a
# student's infinite loop in a minute instead of hanging the grader.
c.Execute.timeout = 60
# An interrupted kernel is restarted, the cell scores 0, and grading goes on with the next cells.
c.Execute.interrupt_on_timeout = True

# What the student sees in place of each solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

c.Exchange.root = "/tmp/exchange"
