//! Vigie's storage suite: every test runs once on SQLite (`sqlite::…`, a fresh file per test) and
//! once on PostgreSQL (`postgres::…`, a fresh database per test, dropped afterwards), the way
//! matrix-rust-sdk's `statestore_integration_tests!` runs one suite per store.
//!
//! PostgreSQL must be running: the admin URL comes from `VIGIE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it is unreachable the PostgreSQL tests
//! fail, saying how to start it; they never skip.

mod alerts;
mod audit;
mod award_rooms;
mod awards;
mod candidates;
mod chat;
mod events;
mod feeds;
mod follow_ups;
mod jurisdictions;
mod leader;
mod members;
mod open;
mod outbox;
mod peers;
mod platform_state;
mod polls;
mod reopen;
mod schedules;
mod silences;
mod subscriptions;
mod support;
mod windows;

/// Instantiates each listed test (an `async fn(TestDb)` in the module of the same name) for one
/// backend, as `<module>::<test>`.
macro_rules! suite {
    ($kind:ident: $($module:ident { $($test:ident),* $(,)? })*) => {
        $(
            mod $module {
                $(
                    #[tokio::test]
                    async fn $test() {
                        crate::support::run(crate::support::Kind::$kind, crate::$module::$test).await;
                    }
                )*
            }
        )*
    };
}

/// Instantiates the suite once per backend: `sqlite::…` and `postgres::…`.
macro_rules! on_every_backend {
    ($($tests:tt)*) => {
        mod sqlite {
            suite!(Sqlite: $($tests)*);
        }
        mod postgres {
            suite!(Postgres: $($tests)*);
        }
    };
}

on_every_backend! {
    reopen {
        opening_the_same_database_twice_works,
    }
    jurisdictions {
        upserting_jurisdictions_counts_only_additions_and_changes,
        jurisdictions_are_found_by_code_and_listed_by_code,
        duplicate_jurisdiction_codes_write_nothing,
    }
    members {
        a_first_member_sync_adds_each_member_with_its_first_status,
        a_resync_of_the_same_members_changes_nothing,
        a_member_status_change_is_kept_in_history,
        a_member_missing_from_its_feed_is_flagged_removed_and_restored_when_listed_again,
        members_are_listed_national_first_then_by_code_and_filtered_by_status,
        member_dates_and_action_plans_round_trip,
        an_admin_status_change_records_its_actor_and_note,
        setting_the_status_of_an_unknown_member_fails,
        duplicate_member_codes_write_nothing,
        an_admins_correction_stands_until_the_feed_changes_its_mind,
    }
    events {
        a_first_sync_adds_every_event,
        a_resync_with_the_same_events_changes_nothing,
        changing_one_event_keeps_its_revision_with_before_and_after,
        an_event_missing_from_its_feed_is_marked_removed_not_deleted,
        a_removed_event_that_reappears_is_restored_and_counted_as_changed,
        duplicate_uids_in_one_batch_write_nothing,
        each_feed_keeps_its_own_events,
        country_filter_includes_local_members,
        date_filter_keeps_events_whose_interval_overlaps,
        kind_and_feed_filters_narrow_the_list,
        month_precision_dates_round_trip,
        events_are_ordered_by_date_then_jurisdiction_then_uid,
        an_unknown_event_has_no_record_and_no_revisions,
        a_large_feed_is_ingested_and_resynced_in_one_pass,
    }
    candidates {
        new_feed_entries_become_pending_candidates_and_keep_their_ids,
        confirming_a_candidate_sets_the_member_status_by_its_actor,
        dismissing_a_candidate_changes_no_member,
        a_decided_candidate_cannot_be_decided_again,
        confirming_a_candidate_for_an_unknown_member_writes_nothing,
    }
    windows {
        a_first_sync_adds_every_window,
        a_resync_of_the_same_windows_changes_nothing,
        a_changed_state_keeps_the_window_before_and_after_in_its_history,
        any_change_of_content_is_a_change,
        a_window_missing_from_a_full_evaluation_is_marked_gone_not_deleted,
        a_gone_window_that_returns_is_restored_and_counted_as_changed,
        a_partial_sync_leaves_other_jurisdictions_windows_alone,
        windows_are_filtered_by_country_region_state_and_rule,
        duplicate_window_ids_write_nothing,
        window_dates_and_labels_round_trip,
        an_unknown_window_has_no_record_and_no_history,
        a_full_evaluation_is_stored_and_resynced_in_one_pass,
    }
    feeds {
        feed_success_records_counts_items_and_validators,
        feed_failure_keeps_the_last_success_and_validators,
        a_not_modified_answer_counts_as_success_and_keeps_counts_and_validators,
        a_sync_that_changes_nothing_keeps_the_counts_of_the_last_change,
        feeds_health_lists_every_feed_by_name,
    }
    peers {
        peers_are_found_by_user_and_listed_admins_first_then_by_user,
        putting_a_peer_again_changes_its_role_and_the_audit_says_from_what,
        putting_a_peer_with_the_role_and_region_it_has_changes_nothing,
        removing_a_peer_reports_whether_it_was_there_and_putting_it_again_restores_it,
        seeding_adds_only_peers_never_managed_by_commands,
        a_peers_country_and_organisation_are_kept_changed_audited_and_seeded,
    }
    subscriptions {
        subscribing_twice_reports_the_existing_subscription_and_audits_once,
        unsubscribing_from_an_absent_subscription_returns_false_and_audits_nothing,
        unsubscribing_removes_only_the_named_subscription_and_is_audited,
        subscriptions_are_listed_by_room_kind_and_value_and_filtered_by_room,
    }
    platform_state {
        a_platform_value_is_absent_then_kept_then_replaced,
        each_platform_keeps_its_own_values,
    }
    chat {
        a_language_is_set_replaced_and_cleared_for_each_scope,
        a_room_and_a_user_with_the_same_id_keep_their_own_language,
        an_event_is_taken_the_first_time_only_and_per_platform,
        concurrent_recordings_of_one_event_let_exactly_one_through,
        a_batch_of_events_is_taken_like_one_by_one,
        concurrent_batches_sharing_events_take_each_exactly_once,
        forgetting_events_before_a_time_keeps_later_ones,
        a_callers_profile_reads_role_and_both_languages_as_the_single_reads_do,
    }
    follow_ups {
        a_first_claim_takes_the_window_even_before_it_is_stored,
        a_second_claim_by_the_same_peer_is_already_theirs,
        a_second_claim_by_another_peer_reports_who_holds_it,
        concurrent_claims_of_one_window_let_exactly_one_peer_win,
        a_release_depends_on_who_holds_the_claim_and_on_force,
        a_released_window_can_be_claimed_by_another_peer,
        snoozing_records_until_when_and_by_whom_and_a_repeat_changes_nothing,
        marking_a_window_done_twice_reports_false_the_second_time,
        notes_are_listed_oldest_first_for_their_window_only,
        an_unknown_window_has_no_follow_up_and_no_notes,
        follow_ups_lists_every_window_acted_on_by_id,
    }
    audit {
        every_change_writes_one_audit_entry_and_a_request_that_changes_nothing_writes_none,
        the_audit_log_is_newest_first_filtered_by_target_and_limited,
    }
    alerts {
        alerts_and_sent_records_round_trip_and_are_replaced_by_key,
        commit_notifications_queues_pending_messages_and_returns_their_ids_in_order,
        a_failure_mid_way_through_commit_notifications_writes_nothing,
        pruning_removes_only_old_resolved_alerts_and_old_log_rows,
    }
    outbox {
        leasing_takes_a_run_of_a_receivers_oldest_due_messages_of_one_platform,
        receivers_take_turns_and_a_waiting_receiver_holds_back_only_itself,
        concurrent_leasers_never_lease_the_same_message_and_deliver_each_receiver_in_order,
        an_expired_lease_is_leased_again_and_only_the_new_holder_may_finish_it,
        only_the_lease_owner_marks_a_message_sent_and_only_once,
        a_retry_schedules_the_next_attempt_and_keeps_the_error,
        a_permanent_failure_is_reported_and_never_leased_again,
        undelivered_messages_are_never_pruned,
        a_message_given_back_untried_does_not_count_as_an_attempt,
        releasing_every_lease_puts_the_messages_back_in_doubt_at_once,
        a_message_retried_in_doubt_stays_in_doubt_until_sent,
        a_new_leader_shortens_the_leases_of_the_senders_before_it_and_keeps_its_own,
        a_message_keeps_its_image_until_delivered_and_one_without_has_none,
    }
    silences {
        a_created_silence_reads_back_and_is_audited,
        active_silences_leave_out_ended_and_expired_ones,
        expiring_a_silence_is_audited_once_and_reports_unknown_or_already_over,
    }
    schedules {
        a_schedule_keeps_its_next_run_until_its_spec_changes,
        a_due_schedule_is_claimed_by_exactly_one_of_five_concurrent_claimers,
        a_schedule_not_due_or_held_is_not_claimed_and_an_expired_claim_is_taken_over,
        finishing_a_schedule_sets_its_next_run_and_frees_it,
    }
    leader {
        leadership_is_exclusive_per_name_and_released_by_its_guard,
        a_dropped_or_killed_leader_frees_leadership,
        a_second_instance_on_one_sqlite_database_is_refused,
        an_in_memory_sqlite_database_needs_no_lock,
    }
    award_rooms {
        a_campaign_opens_whole_or_not_at_all,
        scheduled_steps_are_announced_once_and_the_seed_is_revealed_at_the_close,
    }
    polls {
        a_poll_opens_whole_with_its_options_or_not_at_all,
        poll_events_and_the_last_counted_response_are_kept,
    }
    awards {
        a_campaign_round_trips_through_every_phase_as_the_pure_campaign_does,
        campaigns_are_numbered_in_order_and_a_bad_title_is_refused,
        an_unknown_campaign_is_refused_by_its_id,
        a_refused_action_changes_nothing_and_is_not_audited,
        a_secret_ballot_is_never_revealed_and_the_seal_forgets_the_voters,
        an_open_campaign_shows_each_voters_last_ballot_with_the_voter,
        a_declared_recusal_takes_the_voters_ballot_out,
        nominations_are_listed_by_number_and_filtered_by_category,
        the_schedule_takes_due_steps_in_order_and_stops_at_a_refusal,
        concurrent_ballots_from_500_voters_count_each_voters_last_ballot,
    }
}
