package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.CatalogMessages;
import vn.huunghi.hub.catalog.v1.CargoPreDeclarationType;
import vn.huunghi.hub.catalog.v1.ExportShipmentDataType;
import vn.huunghi.hub.catalog.v1.GoodsItemType;
import vn.huunghi.hub.catalog.v1.TransportEquipmentType;

/**
 * Compares Nanning Customs' export data with the Vietnamese pre-declaration of the same cargo
 * unit and records every difference for customs' risk review: container and seal numbers, HS codes
 * at six digits (the level both tariffs share), item count, and gross mass beyond a tolerance.
 */
@ApplicationScoped
public class ShipmentMatching {

    /** One difference: what it concerns, the Vietnamese and the Chinese value. */
    public record Discrepancy(String kind, String vietnamese, String chinese, String detail) {
    }

    private final double massTolerance;
    private final Clock clock;

    ShipmentMatching(HubConfig config, Clock clock) {
        this.massTolerance = config.workflow().nanningMassTolerance();
        this.clock = clock;
    }

    public List<Discrepancy> compare(byte[] preDeclaration, byte[] exportShipment) {
        CargoPreDeclarationType vn = CatalogMessages.read(preDeclaration).getBody().getCargoPreDeclaration();
        ExportShipmentDataType cn = CatalogMessages.read(exportShipment).getBody().getExportShipmentData();
        List<Discrepancy> found = new ArrayList<>();
        Map<String, TreeSet<String>> vnSeals = seals(vn.getTransportEquipment());
        Map<String, TreeSet<String>> cnSeals = seals(cn.getTransportEquipment());
        if (!vnSeals.keySet().equals(cnSeals.keySet())) {
            found.add(new Discrepancy("CONTAINER_NUMBERS", String.join(" ", vnSeals.keySet()),
                    String.join(" ", cnSeals.keySet()), "the two declarations name different containers"));
        }
        for (String container : vnSeals.keySet()) {
            if (cnSeals.containsKey(container) && !vnSeals.get(container).equals(cnSeals.get(container))) {
                found.add(new Discrepancy("SEAL_NUMBERS", String.join(" ", vnSeals.get(container)),
                        String.join(" ", cnSeals.get(container)), "container " + container));
            }
        }
        TreeSet<String> vnHs = hs6(vn.getGoodsItem());
        TreeSet<String> cnHs = hs6(cn.getGoodsItem());
        if (!vnHs.equals(cnHs)) {
            found.add(new Discrepancy("HS_CODES", String.join(" ", vnHs), String.join(" ", cnHs), "compared at 6 digits"));
        }
        if (vn.getGoodsItem().size() != cn.getGoodsItem().size()) {
            found.add(new Discrepancy("ITEM_COUNT", Integer.toString(vn.getGoodsItem().size()),
                    Integer.toString(cn.getGoodsItem().size()), null));
        }
        BigDecimal vnMass = vn.getTotalGrossMass().getValue();
        BigDecimal cnMass = cn.getTotalGrossMass().getValue();
        double difference = vnMass.subtract(cnMass).abs().doubleValue() / vnMass.max(cnMass).doubleValue();
        if (difference > massTolerance) {
            found.add(new Discrepancy("GROSS_MASS", vnMass.toPlainString(), cnMass.toPlainString(),
                    String.format("%.1f %% apart, tolerance %.1f %%", difference * 100, massTolerance * 100)));
        }
        return found;
    }

    /** Compares and stores the differences inside the caller's transaction; returns how many. */
    int record(Connection connection, String cargoUnitId, byte[] preDeclaration, byte[] exportShipment)
            throws SQLException {
        List<Discrepancy> found = compare(preDeclaration, exportShipment);
        for (Discrepancy discrepancy : found) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO discrepancy (cargo_unit_id, kind,"
                    + " vietnamese_value, chinese_value, detail, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, cargoUnitId);
                insert.setString(2, discrepancy.kind());
                insert.setString(3, discrepancy.vietnamese());
                insert.setString(4, discrepancy.chinese());
                insert.setString(5, discrepancy.detail());
                insert.setTimestamp(6, Timestamp.from(clock.instant()));
                insert.executeUpdate();
            }
        }
        return found.size();
    }

    private static Map<String, TreeSet<String>> seals(List<TransportEquipmentType> equipment) {
        Map<String, TreeSet<String>> seals = new TreeMap<>();
        for (TransportEquipmentType container : equipment) {
            seals.put(container.getContainerNumber(), new TreeSet<>(container.getSeal()));
        }
        return seals;
    }

    private static TreeSet<String> hs6(List<GoodsItemType> items) {
        TreeSet<String> codes = new TreeSet<>();
        items.stream().map(GoodsItemType::getHsCode).filter(Objects::nonNull).forEach(code -> codes.add(code.substring(0, 6)));
        return codes;
    }
}
