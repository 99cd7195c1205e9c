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
    public DoctorReport {
        findings = Checks.immutableList(findings, "findings");
    }

    /** Whether any finding is {@link Finding.Status#FAIL}. */
    public boolean failed() {
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL);
    }

    /** The findings of one check. */
    public List<Finding> of(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).toList();
    }

    /** The findings that are not ok. */
    public List<Finding> problems() {
        return findings.stream().filter(f -> f.status() != Finding.Status.OK).toList();
    }
}
