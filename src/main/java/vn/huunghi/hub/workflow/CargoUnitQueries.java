package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Read-only questions about cargo units: where one stands, which agencies it awaits and why, its timeline. */
@ApplicationScoped
public class CargoUnitQueries {

    public record RequiredAgency(String agency, String status, List<String> ruleIds, List<String> inspections) {
    }

    public record FiredRule(String ruleId, String agency, String effect, String why) {
    }

    public record CargoUnitSummary(String id, String declarationReference, String state,
            Map<String, RequiredAgency> requiredAgencies, List<FiredRule> firedRules) {
    }

    public record TimelineEvent(Instant occurredAt, String kind, String fromState, String toState, String messageId,
            String detail) {
    }

    private final DataSource dataSource;

    CargoUnitQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<CargoUnitSummary> byDeclarationReference(String reference) {
        return find("declaration_reference = ?", reference);
    }

    public Optional<CargoUnitSummary> byId(String id) {
        return find("id = ?", id);
    }

    public List<TimelineEvent> timeline(String id) {
        List<TimelineEvent> events = new ArrayList<>();
        query("SELECT occurred_at, kind, from_state, to_state, message_id, detail FROM timeline_event"
                + " WHERE cargo_unit_id = ? ORDER BY id", id, rows -> events.add(new TimelineEvent(
                        rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6))));
        return events;
    }

    /** Outbound messages the workflow wrote for a cargo unit, as (party, message type) pairs in order. */
    public List<String[]> outboundMessages(String id) {
        List<String[]> messages = new ArrayList<>();
        query("SELECT party, message_type FROM outbox_message WHERE cargo_unit_id = ? ORDER BY seq", id,
                rows -> messages.add(new String[] {rows.getString(1), rows.getString(2)}));
        return messages;
    }

    /** Differences between the Vietnamese and the Chinese declaration of a cargo unit, as kind: vietnamese | chinese. */
    public List<String> discrepancies(String id) {
        List<String> found = new ArrayList<>();
        query("SELECT kind, vietnamese_value, chinese_value FROM discrepancy WHERE cargo_unit_id = ? ORDER BY id", id,
                rows -> found.add(rows.getString(1) + ": " + rows.getString(2) + " | " + rows.getString(3)));
        return found;
    }

    /** The cargo unit's claims of ASEAN preferential origin, as "item: certificate status [acdd]". */
    public List<String> originClaims(String id) {
        List<String> claims = new ArrayList<>();
        query("SELECT item_sequence, certificate_number, status, acdd_reference FROM origin_claim WHERE cargo_unit_id = ?"
                + " ORDER BY item_sequence", id, rows -> claims.add(rows.getInt(1) + ": " + rows.getString(2) + " "
                        + rows.getString(3) + (rows.getString(4) == null ? "" : " " + rows.getString(4))));
        return claims;
    }

    /** The documents written to the outbox for a cargo unit and one partner, in order. */
    public List<byte[]> outboundDocuments(String id, String party) {
        List<byte[]> documents = new ArrayList<>();
        query("SELECT d.document, m.party FROM outbox_message m JOIN outbox_document d"
                + " ON d.message_id = m.message_id WHERE m.cargo_unit_id = ? ORDER BY m.seq", id, rows -> {
            if (party.equals(rows.getString(2))) {
                documents.add(rows.getBytes(1));
            }
        });
        return documents;
    }

    /** The containers of a cargo unit. */
    public List<String> containers(String id) {
        List<String> containers = new ArrayList<>();
        query("SELECT container_number FROM cargo_unit_container WHERE cargo_unit_id = ? ORDER BY container_number", id,
                rows -> containers.add(rows.getString(1)));
        return containers;
    }

    /** The cargo units most recently changed, newest first. */
    public List<CargoUnitSummary> recent(int limit) {
        List<String> ids = new ArrayList<>();
        query(recentQuery(Math.max(1, Math.min(limit, 500))), null, rows -> ids.add(rows.getString(1)));
        return ids.stream().map(this::byId).flatMap(Optional::stream).toList();
    }

    /** Read through the index on (updated_at, id), V16: the first rows of it, not every cargo unit sorted. */
    static String recentQuery(int limit) {
        return "SELECT id FROM cargo_unit ORDER BY updated_at DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** What the workflow did with an inbound message, by its messageId. */
    public Optional<String> outcomeOf(String messageId) {
        List<String> outcome = new ArrayList<>();
        query("SELECT outcome FROM processed_message WHERE message_id = ?", messageId, rows -> outcome.add(rows.getString(1)));
        return outcome.stream().findFirst();
    }

    private Optional<CargoUnitSummary> find(String where, String value) {
        List<String[]> unit = new ArrayList<>();
        query("SELECT id, declaration_reference, state FROM cargo_unit WHERE " + where, value,
                rows -> unit.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)}));
        if (unit.isEmpty()) {
            return Optional.empty();
        }
        String id = unit.get(0)[0];
        Map<String, RequiredAgency> agencies = new LinkedHashMap<>();
        query("SELECT agency, status, rule_ids, inspections FROM required_agency WHERE cargo_unit_id = ? ORDER BY agency",
                id, rows -> agencies.put(rows.getString(1), new RequiredAgency(rows.getString(1), rows.getString(2),
                        List.of(rows.getString(3).split(",")),
                        rows.getString(4) == null ? List.of() : List.of(rows.getString(4).split(",")))));
        List<FiredRule> fired = new ArrayList<>();
        query("SELECT rule_id, agency, effect, why FROM agency_selection WHERE cargo_unit_id = ? ORDER BY rule_id", id,
                rows -> fired.add(new FiredRule(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4))));
        return Optional.of(new CargoUnitSummary(id, unit.get(0)[1], unit.get(0)[2], agencies, fired));
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, String parameter, RowReader reader) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
