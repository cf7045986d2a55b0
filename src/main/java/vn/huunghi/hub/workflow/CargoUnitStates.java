package vn.huunghi.hub.workflow;

import static vn.huunghi.hub.catalog.v1.CargoUnitState.ARRIVED;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.AWAITING_CONFIRMATIONS;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.DECLARED;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.EXITED;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.HANDED_OVER;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.HELD;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.RELEASED;
import static vn.huunghi.hub.catalog.v1.CargoUnitState.WEIGHED;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import vn.huunghi.hub.catalog.v1.CargoUnitState;

/** The one state machine of a cargo unit: which state may follow which. */
public final class CargoUnitStates {

    private static final Map<CargoUnitState, Set<CargoUnitState>> NEXT = Map.of(
            DECLARED, EnumSet.of(ARRIVED, HELD),
            ARRIVED, EnumSet.of(WEIGHED, HELD),
            WEIGHED, EnumSet.of(AWAITING_CONFIRMATIONS, HELD),
            AWAITING_CONFIRMATIONS, EnumSet.of(RELEASED, HELD),
            HELD, EnumSet.of(AWAITING_CONFIRMATIONS),
            RELEASED, EnumSet.of(HANDED_OVER, EXITED, HELD),
            // an IGV's handover at the border ends the cargo unit at the gate as an exit through a barrier does
            HANDED_OVER, EnumSet.noneOf(CargoUnitState.class),
            EXITED, EnumSet.noneOf(CargoUnitState.class));

    /** SQL list of the states the cargo units still at the gate are in, for an IN (...) clause. */
    public static final String OPEN_STATES_SQL = sqlList(false);

    /** SQL list of the final states, for an IN (...) clause. */
    public static final String FINAL_STATES_SQL = sqlList(true);

    private CargoUnitStates() {
    }

    public static boolean allows(CargoUnitState from, CargoUnitState to) {
        return NEXT.get(from).contains(to);
    }

    /** A state nothing follows: the cargo unit has left the gate. */
    public static boolean isFinal(CargoUnitState state) {
        return NEXT.get(state).isEmpty();
    }

    private static String sqlList(boolean isFinal) {
        return java.util.Arrays.stream(CargoUnitState.values()).filter(state -> isFinal(state) == isFinal)
                .map(state -> "'" + state.value() + "'").collect(java.util.stream.Collectors.joining(", "));
    }
}
