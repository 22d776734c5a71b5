package dev.dojo.security;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link AccessMatrix} on the embedded database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/access-h2-${random.uuid}", "dojo.node-id=access-h2"})
class AccessOnH2Test extends AccessMatrix {}
