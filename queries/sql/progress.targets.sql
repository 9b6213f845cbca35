-- progress.targets: target_achievement, task targets with something committed or achieved.
SELECT coalesce(task_no, 0), metric, unit, target, committed_by_cities, committed_by_schools,
       achieved_by_cities, achieved_by_schools
FROM target_achievement
WHERE target_kind = 'task'
ORDER BY task_no, metric
