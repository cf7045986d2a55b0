package vn.huunghi.hub.workflow;

/**
 * What the workflow did with an inbound message. The refusals are stable codes: they reach the
 * sending agency in a StatusNotification's Reason, the timeline and docs/error-codes.md.
 */
public enum WorkflowOutcome {
    APPLIED(false, "the message changed the cargo unit"),
    ALREADY_PROCESSED(false, "the same message was applied before (a redelivery); nothing changed"),
    CONFIRMATION_DUPLICATE(true, "this agency already confirmed this cargo unit; the second confirmation was not applied"),
    CONFIRMATION_NOT_REQUIRED(true, "this agency was not asked to confirm this cargo unit"),
    CONFIRMATION_AGENCY_MISMATCH(true, "the confirmation's Agency is not its sender"),
    CARGO_UNIT_UNKNOWN(true, "no cargo unit has that id or declaration reference"),
    CARGO_UNIT_ALREADY_DECLARED(true, "a cargo unit with that declaration reference exists; use AMEND"),
    RELEASE_NOT_BY_CUSTOMS(true, "only customs releases a cargo unit"),
    RELEASE_BEFORE_APPROVALS(true, "not every required agency has approved the cargo unit yet"),
    RELEASE_NOT_ALLOWED_IN_STATE(true, "the cargo unit is not in a state that can be released"),
    PLATE_UNKNOWN(true, "no open cargo unit has the plate read; the barrier stays closed and an alarm is raised"),
    PLATE_READ_UNCERTAIN(true, "the plate was read with a confidence under hub.equipment.anpr.min-confidence;"
            + " the barrier stays closed and an alarm is raised"),
    PLATE_READ_STALE(true, "the plate read is older than hub.equipment.anpr.max-read-age; the barrier stays closed"),
    BARRIER_NOT_ALLOWED(true, "the cargo unit read at the lane is not released; the barrier stays closed");

    private final boolean refusal;
    private final String meaning;

    WorkflowOutcome(boolean refusal, String meaning) {
        this.refusal = refusal;
        this.meaning = meaning;
    }

    public boolean refusal() {
        return refusal;
    }

    public String meaning() {
        return meaning;
    }
}
