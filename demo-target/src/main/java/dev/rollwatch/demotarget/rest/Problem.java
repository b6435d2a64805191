package dev.rollwatch.demotarget.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, served as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://rollwatch.dev/problems/";
}
