package dev.dojo.system;

import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes Tomcat's own error answers problems: its host's error report valve becomes
 * {@link ProblemErrorReportValve}, in place of Tomcat's HTML page (and of the one Spring Boot adds).
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers((TomcatContextCustomizer) context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
            // Other customizers may add an ErrorReportValve after this one; the last word is had
            // when the context starts, after every customizer and the host's own set-up.
            context.addLifecycleListener(event -> {
                if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                    useOnlyProblemReports(context.getParent());
                }
            });
        });
    }

    private static void useOnlyProblemReports(Container host) {
        if (host == null) {
            return;
        }
        boolean present = false;
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ProblemErrorReportValve) {
                present = true;
            } else if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (!present) {
            host.getPipeline().addValve(new ProblemErrorReportValve());
        }
    }
}
