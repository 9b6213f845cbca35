-- CoverageByDepartment: the coverage_by_department view, most expected pairs first.
SELECT department, tasks, expected_pairs, addressed_pairs,
       city_pairs_expected, city_pairs_addressed, school_pairs_expected, school_pairs_addressed, measures
FROM coverage_by_department
ORDER BY expected_pairs DESC, department
