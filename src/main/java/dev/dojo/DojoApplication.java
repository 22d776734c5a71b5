package dev.dojo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Dojo: a REST service that queues, trains and serves neural networks. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DojoApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "client".equals(args[0])) {
            // The jar doubles as the command-line client for pipelines; Spring does not start.
            System.exit(dev.dojo.client.Client.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(DojoApplication.class, args);
    }
}
