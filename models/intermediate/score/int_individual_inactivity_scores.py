"""One row per customer at the as-of date: the inactivity score with the last fit.

The calibrated probability of going dormant within the window, its top contributing
criteria in words, the BG/NBD probability alive and expected purchase days in the next
window. The scoring is orchestration/score/model.py's (one place for the fitting and the
scoring); this model only hands it the as-of date's criteria and the fits. No fit made at
or before the as-of date yet: no row, and the score stays null.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from orchestration.score.model import expand_criteria, latest_fit, score_customers

    features = dbt.ref("int_score_features").filter("sample_role = 'score'").df()
    fits = dbt.source("inactivity_score", "fits").df()
    weights = dbt.source("inactivity_score", "fit_weights").df()
    as_of_date = features["feature_date"].iloc[0].date() if len(features) else None
    fit = latest_fit(fits, weights, as_of_date) if as_of_date else None
    # how score_drivers words each criterion (seeds; dbt finds refs only as plain calls)
    criteria = dbt.ref("inactivity_score_criteria").df()
    business_lines = dbt.ref("business_lines").df()
    wording = expand_criteria(criteria, list(business_lines["business_line"]))
    return score_customers(features, fit, wording)
