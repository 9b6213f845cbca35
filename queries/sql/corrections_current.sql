-- report_current: the current submission of each submitter, for the sheets of the correction list.
SELECT submitter, file_name FROM submissions WHERE status = 'current' ORDER BY submitter
