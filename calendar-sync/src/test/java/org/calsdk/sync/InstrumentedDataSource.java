package org.calsdk.sync;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper for store tests: counts database round trips (every statement execution, every
 * batch execution, every commit and rollback; taking a pooled connection is not one) and, when faults are on,
 * injects database faults: a dropped connection (an execution fails with SQL state 08006 and the connection is
 * closed under the caller), a commit that fails and rolls back, and a commit whose answer is lost after the
 * transaction committed.
 */
final class InstrumentedDataSource implements DataSource {
    private final DataSource inner;
    final AtomicLong roundTrips = new AtomicLong();
    final AtomicLong faults = new AtomicLong();
    private volatile double faultRate;
    private final Random random;

    InstrumentedDataSource(DataSource inner, long seed) {
        this.inner = inner;
        this.random = new Random(seed);
    }

    /** Probability of a fault at each execution and each commit (0 turns faults off). */
    void faultRate(double rate) {
        this.faultRate = rate;
    }

    private boolean fault() {
        double rate = faultRate;
        if (rate <= 0) {
            return false;
        }
        boolean f;
        synchronized (random) {
            f = random.nextDouble() < rate;
        }
        if (f) {
            faults.incrementAndGet();
        }
        return f;
    }

    private int pick(int n) {
        synchronized (random) {
            return random.nextInt(n);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(inner.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(inner.getConnection(user, password));
    }

    private Connection wrap(Connection real) {
        InvocationHandler h = (proxy, m, args) -> {
            switch (m.getName()) {
                case "commit" -> {
                    roundTrips.incrementAndGet();
                    if (fault()) {
                        if (pick(2) == 0) {
                            real.rollback(); // the commit failed: nothing of the transaction stays
                            throw new SQLException("injected: commit failed", "40001");
                        }
                        real.commit(); // committed, but the answer never came back
                        throw new SQLTransientConnectionException("injected: connection lost after commit", "08006");
                    }
                }
                case "rollback" -> roundTrips.incrementAndGet();
                default -> {}
            }
            Object r = call(m, real, args);
            if (r instanceof Statement st
                    && (m.getName().equals("prepareStatement") || m.getName().equals("createStatement"))) {
                return statement(st, real, m.getName().equals("prepareStatement"));
            }
            return r;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private Statement statement(Statement real, Connection connection, boolean prepared) {
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().startsWith("execute")) {
                roundTrips.incrementAndGet();
                if (fault()) {
                    if (inner instanceof com.zaxxer.hikari.HikariDataSource pool) {
                        pool.evictConnection(
                                connection); // a dropped connection: closed for good, the pool opens another
                    } else {
                        connection.close();
                    }
                    throw new SQLTransientConnectionException("injected: connection dropped", "08006");
                }
            }
            return call(m, real, args);
        };
        Class<?> type = prepared ? PreparedStatement.class : Statement.class;
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return inner.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        inner.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        inner.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return inner.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("calsdk");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return inner.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return inner.isWrapperFor(iface);
    }
}
