{#- One row per fit and score decile on the held-out date: the mean score against the share
    that went dormant. A calibrated score has the two close in every decile. -#}
with

fits as (select * from {{ ref('inactivity_score_model') }}),
calibration as (select * from {{ source('inactivity_score', 'fit_calibration') }})

select
    calibration.fit_id,
    calibration.score_decile,
    calibration.customers,
    calibration.mean_score,
    calibration.dormant_rate,
    fits.is_current_fit
from calibration
inner join (select distinct fit_id, is_current_fit from fits) as fits  -- noqa: ST05
    on calibration.fit_id = fits.fit_id
