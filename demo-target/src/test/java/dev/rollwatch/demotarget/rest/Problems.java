package dev.rollwatch.demotarget.rest;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** What every refused call must look like: RFC 9457 problem+json with a stable type. */
final class Problems {

    private Problems() {
    }

    static ValidatableResponse problem(Response response, int status, String typeSlug) {
        return response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/" + typeSlug))
                .body("title", not(emptyOrNullString()))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()));
    }
}
