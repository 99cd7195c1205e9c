package org.calsdk.api;

import java.util.List;
import org.calsdk.internal.Checks;

/**
 * What {@link Doctor#run} found, in the order checked.
 *
 * @param findings every finding
 * @since 0.2
 */
public record DoctorReport(List<Finding> findings) {
    /**
     * Copies the findings; null is an empty report.
     *
     * @param findings every finding, in the order checked
     * @throws NullPointerException when a finding is null
     */
    public DoctorReport {
        findings = Checks.immutableList(findings, "findings");
    }

    /**
     * Whether any finding is {@link Finding.Status#FAIL}; warnings alone do not fail a report.
     *
     * @return true when at least one check failed (a command line exits non-zero then)
     */
    public boolean failed() {
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL);
    }

    /**
     * The findings of one check, one per mailbox it ran for.
     *
     * @param check a check name such as {@link Finding#LAST_SYNC}
     * @return its findings in order; empty when that check did not run
     */
    public List<Finding> of(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).toList();
    }

    /**
     * The findings that are not ok: what an administrator has to look at.
     *
     * @return the warnings and failures, in the order checked; empty when all is well
     */
    public List<Finding> problems() {
        return findings.stream().filter(f -> f.status() != Finding.Status.OK).toList();
    }
}
