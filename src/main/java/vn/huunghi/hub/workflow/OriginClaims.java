package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vn.huunghi.hub.catalog.v1.CargoPreDeclarationType;
import vn.huunghi.hub.catalog.v1.GoodsItemType;

/**
 * Links goods items that claim preferential ASEAN origin to the ATIGA e-Form D certificates the
 * ASEAN Single Window sends, by certificate number and HS subheading; a claim whose certificate has
 * not arrived, or does not cover the item, stays flagged for customs.
 */
@ApplicationScoped
public class OriginClaims {

    public enum Status { LINKED, MISSING, NOT_COVERED }

    /** Records the claims of a new pre-declaration; returns the ids of the certificates still missing or not covering. */
    List<String> claim(Connection connection, String cargoUnitId, CargoPreDeclarationType declaration) throws SQLException {
        List<String> flagged = new ArrayList<>();
        for (GoodsItemType item : declaration.getGoodsItem()) {
            String certificate = item.getPreferentialOriginCertificate();
            if (certificate == null) {
                continue;
            }
            String hs6 = item.getHsCode().substring(0, 6);
            Status status = statusFor(connection, certificate, hs6);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO origin_claim (cargo_unit_id,"
                    + " item_sequence, certificate_number, hs_subheading, status) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, cargoUnitId);
                insert.setInt(2, item.getSequenceNumber().intValue());
                insert.setString(3, certificate);
                insert.setString(4, hs6);
                insert.setString(5, status.name());
                insert.executeUpdate();
            }
            if (status != Status.LINKED) {
                flagged.add(certificate + " (" + status + ")");
            }
        }
        return flagged;
    }

    /** A certificate arrived: the claims waiting for it are re-checked; returns the cargo units whose claims it linked. */
    List<String> certificateArrived(Connection connection, String certificate) throws SQLException {
        List<String[]> waiting = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT cargo_unit_id, item_sequence, hs_subheading"
                + " FROM origin_claim WHERE certificate_number = ? AND status <> 'LINKED'")) {
            select.setString(1, certificate);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    waiting.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                }
            }
        }
        List<String> linked = new ArrayList<>();
        for (String[] claim : waiting) {
            Status status = statusFor(connection, certificate, claim[2]);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE origin_claim SET status = ? WHERE cargo_unit_id = ? AND item_sequence = ?")) {
                update.setString(1, status.name());
                update.setString(2, claim[0]);
                update.setInt(3, Integer.parseInt(claim[1]));
                update.executeUpdate();
            }
            if (status == Status.LINKED) {
                linked.add(claim[0]);
            }
        }
        return linked;
    }

    /** An ACDD arrived: it is attached to the claims on the certificates it names; returns those cargo units. */
    List<String> acddArrived(Connection connection, String acddReference, List<String> certificates) throws SQLException {
        List<String> units = new ArrayList<>();
        for (String certificate : certificates) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE origin_claim SET acdd_reference = ? WHERE certificate_number = ?")) {
                update.setString(1, acddReference);
                update.setString(2, certificate);
                update.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT DISTINCT cargo_unit_id FROM origin_claim WHERE certificate_number = ?")) {
                select.setString(1, certificate);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        units.add(rows.getString(1));
                    }
                }
            }
        }
        return units;
    }

    private static Status statusFor(Connection connection, String certificate, String hs6) throws SQLException {
        Optional<String> covered = Optional.empty();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT hs_subheadings FROM origin_certificate WHERE certificate_number = ?")) {
            select.setString(1, certificate);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    covered = Optional.of(row.getString(1));
                }
            }
        }
        if (covered.isEmpty()) {
            return Status.MISSING;
        }
        return List.of(covered.get().split(",")).contains(hs6) ? Status.LINKED : Status.NOT_COVERED;
    }
}
