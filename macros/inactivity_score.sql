{#-
  The tables the score's fit asset (orchestration/score/assets.py) writes, declared here
  only: created empty before anything is built, so the scoring model and the marts can
  read them on a warehouse that has no fit yet. They hold weights and figures, no
  personal data, and carry over from run to run (the build file copies the published one):
  the daily run scores with the last fit.
-#}
{% macro create_inactivity_score_tables() %}{{ return(adapter.dispatch('create_inactivity_score_tables')()) }}{% endmacro %}
{% macro default__create_inactivity_score_tables() %}
    create schema if not exists score_model;
    create table if not exists score_model.fits (
        fit_id varchar primary key,
        fit_as_of_date date not null,
        seed integer not null,
        fitted_at timestamp not null,
        held_out_date date not null,
        first_training_date date not null,
        last_training_date date not null,
        calibration_date date not null,
        training_rows bigint not null,
        held_out_rows bigint not null,
        auc double not null,
        baseline_auc double not null,
        brier_score double not null,
        intercept double not null,
        bgnbd_r double not null,
        bgnbd_alpha double not null,
        bgnbd_a double not null,
        bgnbd_b double not null,
        bgnbd_log_likelihood double not null
    );
    create table if not exists score_model.fit_weights (
        fit_id varchar not null,
        criterion varchar not null,
        criterion_label varchar not null,
        weight double not null,
        feature_mean double not null,
        feature_sd double not null,
        primary key (fit_id, criterion)
    );
    create table if not exists score_model.fit_calibration (
        fit_id varchar not null,
        score_decile integer not null,
        customers bigint not null,
        mean_score double not null,
        dormant_rate double not null,
        primary key (fit_id, score_decile)
    );
{% endmacro %}

{#- The score is DuckDB's (a Python model): on Spark individual_activity's score columns are
    null (macro inactivity_scores below) and these tables are not needed. -#}
{% macro spark__create_inactivity_score_tables() %}
    select 1
{% endmacro %}

{#- The scores individual_activity reads: the Python model's. On Spark (make test-spark),
    which runs no Python model in session mode, none: the score columns stay null, as they
    do on DuckDB before the first fit. -#}
{% macro inactivity_scores() %}{{ return(adapter.dispatch('inactivity_scores')()) }}{% endmacro %}
{% macro default__inactivity_scores() %}
    select * from {{ ref('int_individual_inactivity_scores') }}
{% endmacro %}
{% macro spark__inactivity_scores() %}
    select
        cast(null as string) as individual_id,
        cast(null as double) as inactivity_score,
        cast(null as string) as score_drivers,
        cast(null as double) as p_alive,
        cast(null as double) as expected_purchases_next_window
    where false
{% endmacro %}
