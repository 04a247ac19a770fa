{#- One row per fit and criterion: the learned weights of the inactivity score, with the
    fit's figures beside them, so a person can read what the score rests on. -#}
with

fits as (select * from {{ source('inactivity_score', 'fits') }}),
weights as (select * from {{ source('inactivity_score', 'fit_weights') }}),

-- the fit the daily run scores with: the last one made at or before the as-of date
current_fit as (

    select fit_id
    from fits
    where fit_as_of_date <= {{ as_of_date() }}
    order by fit_as_of_date desc, fitted_at desc
    limit 1

)

select
    fits.fit_id,
    fits.fit_as_of_date,
    fits.seed,
    fits.fitted_at,
    fits.held_out_date,
    fits.first_training_date,
    fits.last_training_date,
    fits.calibration_date,
    fits.training_rows,
    fits.held_out_rows,
    weights.criterion,
    weights.criterion_label,
    weights.weight,
    weights.feature_mean,
    weights.feature_sd,
    fits.intercept,
    fits.auc,
    fits.baseline_auc,
    fits.brier_score,
    fits.bgnbd_r,
    fits.bgnbd_alpha,
    fits.bgnbd_a,
    fits.bgnbd_b,
    fits.bgnbd_log_likelihood,
    fits.fit_id in (select fit_id from current_fit) as is_current_fit
from fits
inner join weights on fits.fit_id = weights.fit_id
