"""Run: put the stages in order. One source (`single`), many sources (`batch`, on a local
process pool or Ray), which inputs to take and when a finished run can be skipped."""
