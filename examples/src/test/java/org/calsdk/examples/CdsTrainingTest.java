package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The launcher keeps a class-data-sharing archive only when the training run succeeds: every training
 * command (help, and freebusy in text and JSON against each cloud fake) must work.
 */
class CdsTrainingTest {
    @Test
    void everyTrainingCommandSucceeds() throws Exception {
        assertThat(CdsTraining.train()).as("failed training commands").isZero();
    }
}
