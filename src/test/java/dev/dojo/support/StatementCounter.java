package dev.dojo.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts the SQL statements the current thread executes through the application's DataSource,
 * whether they come from JPA or from a JdbcTemplate. Register it as a bean (it wraps the DataSource);
 * other threads (workers, sweepers) are not counted.
 */
public final class StatementCounter implements BeanPostProcessor {

    private static final ThreadLocal<int[]> COUNT = ThreadLocal.withInitial(() -> new int[1]);
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    /** Starts counting this thread's statements from zero. */
    public static void reset() {
        COUNT.get()[0] = 0;
    }

    /** Statements this thread executed since {@link #reset()}. */
    public static int count() {
        return COUNT.get()[0];
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource source && !Proxy.isProxyClass(bean.getClass())) {
            return proxy(DataSource.class, source, (target, method, args) -> {
                Object result = invoke(target, method, args);
                return result instanceof Connection c ? proxy(Connection.class, c, StatementCounter::connectionCall) : result;
            });
        }
        return bean;
    }

    private static Object connectionCall(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        Object result = invoke(target, method, args);
        if (result instanceof CallableStatement s) {
            return proxy(CallableStatement.class, s, StatementCounter::statementCall);
        }
        if (result instanceof PreparedStatement s) {
            return proxy(PreparedStatement.class, s, StatementCounter::statementCall);
        }
        if (result instanceof Statement s) {
            return proxy(Statement.class, s, StatementCounter::statementCall);
        }
        return result;
    }

    private static Object statementCall(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        if (EXECUTIONS.contains(method.getName())) {
            COUNT.get()[0]++;
        }
        return invoke(target, method, args);
    }

    /** A call on the real object, seen through the interface's proxy. */
    @FunctionalInterface
    private interface Call {
        Object on(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getName().equals("unwrap") && args != null && args.length == 1 && args[0] == type) {
                return target;
            }
            return call.on(target, method, args);
        };
        return (T) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
