-- CoverageByCity: the coverage_by_city view, with the names of the city's colleges that have not
-- returned a file.
SELECT c.city, c.city_returned, c.city_tasks_expected, c.city_tasks_addressed, c.city_measures,
       c.schools_expected, c.schools_returned, c.school_pairs_expected, c.school_pairs_addressed, c.school_measures,
       coalesce((SELECT string_agg(s.submitter, '|' ORDER BY s.submitter)
                 FROM coverage_by_submitter s
                 WHERE s.kind = 'school' AND s.city = c.city AND NOT s.returned), '') AS missing_schools
FROM coverage_by_city c
ORDER BY c.city
