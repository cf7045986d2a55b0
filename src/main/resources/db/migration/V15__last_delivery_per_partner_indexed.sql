-- The readiness check names each partner's last delivery (PartnerDeliveryHealthCheck). No index
-- served it: every probe read every delivery the hub had ever made, once per partner, a cost that
-- grew with the gate's history. Indexed by partner and time, it reads one entry per partner.
CREATE INDEX outbound_delivery_last ON outbound_delivery (party, delivered_at);
