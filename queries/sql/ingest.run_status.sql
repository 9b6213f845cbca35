-- run_status: the status the submissions view gives each file of a run (current / superseded / rejected).
SELECT submission_id, status FROM submissions WHERE run_id = ?
