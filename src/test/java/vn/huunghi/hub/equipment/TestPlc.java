package vn.huunghi.hub.equipment;

import com.digitalpetri.modbus.exceptions.UnknownUnitIdException;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsResponse;
import com.digitalpetri.modbus.pdu.WriteSingleCoilRequest;
import com.digitalpetri.modbus.pdu.WriteSingleCoilResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Modbus TCP server standing in for a lane's PLC: a barrier's command coil and a
 * weighbridge indicator's registers (gross kg as 32 bits high word first, then a status word).
 * It counts coil writes, and can drop off the network like a PLC that lost power.
 */
final class TestPlc implements AutoCloseable {

    static final int PORT = 15020;

    private final ProcessImage image = new ProcessImage();
    private final Map<Integer, AtomicInteger> coilWrites = new ConcurrentHashMap<>();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final int port;
    private ModbusTcpServer server;

    TestPlc(int port) {
        this.port = port;
    }

    TestPlc start() throws Exception {
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> {
            config.bindAddress = "127.0.0.1";
            config.port = port;
            config.pipelineCustomizer = pipeline -> connections.add(pipeline.channel());
        });
        server = ModbusTcpServer.create(transport, new ReadWriteModbusServices() {
            @Override
            protected Optional<ProcessImage> getProcessImage(int unitId) {
                return Optional.of(image);
            }

            @Override
            public WriteSingleCoilResponse writeSingleCoil(ModbusRequestContext context, int unitId,
                    WriteSingleCoilRequest request) throws UnknownUnitIdException {
                coilWrites.computeIfAbsent(request.address(), a -> new AtomicInteger()).incrementAndGet();
                return super.writeSingleCoil(context, unitId, request);
            }

            @Override
            public WriteMultipleCoilsResponse writeMultipleCoils(ModbusRequestContext context, int unitId,
                    WriteMultipleCoilsRequest request) throws UnknownUnitIdException {
                for (int i = 0; i < request.quantity(); i++) {
                    coilWrites.computeIfAbsent(request.address() + i, a -> new AtomicInteger()).incrementAndGet();
                }
                return super.writeMultipleCoils(context, unitId, request);
            }
        });
        server.start();
        return this;
    }

    /** Drops off the network: the listener and every open connection close. */
    void stop() throws Exception {
        server.stop();
        connections.forEach(Channel::close);
        connections.clear();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** A coil by protocol address (PLC4X's coil:1 is protocol address 0). */
    boolean coil(int address) {
        return image.get(tx -> tx.readCoils(coils -> coils.getOrDefault(address, false)));
    }

    int coilWrites(int address) {
        AtomicInteger writes = coilWrites.get(address);
        return writes == null ? 0 : writes.get();
    }

    /** The weighbridge indicator: gross kg in registers 0-1 (high word first), status bits in register 2. */
    void scale(long kilograms, boolean motion, boolean stable, boolean overload) {
        int status = (motion ? 1 : 0) | (stable ? 2 : 0) | (overload ? 4 : 0);
        image.with(tx -> tx.writeHoldingRegisters(registers -> {
            registers.put(0, word((int) (kilograms >>> 16)));
            registers.put(1, word((int) (kilograms & 0xFFFF)));
            registers.put(2, word(status));
        }));
    }

    private static byte[] word(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }
}
