-- Each delivery asks whether its message is already a dead letter (OutboxDelivery): found by its messageId.
CREATE INDEX dead_letter_message ON dead_letter (message_id);
