package dev.rollwatch.platform.it;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * quarkus.http.limits.max-body-size as a client meets it (platform's BodySizeLimit): a body over the limit is refused
 * with 413 problem+json before the endpoint runs, a body of the limit's size is read whole, and a body of undeclared
 * length is refused with 411.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class BodySizeLimitIT {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    @Inject
    BodyLimitItResource resource;

    private static Response post(String marker, int size) {
        return given().contentType("application/octet-stream").body(new byte[size]).post("/it/bodies/" + marker);
    }

    @Test
    void aBodyOfTheLimitIsReadWhole() {
        int max = (int) limit.asLongValue();
        assertThat(max).as("the limit platform sets for every service").isEqualTo(1024 * 1024);
        String marker = UUID.randomUUID().toString();
        Response r = post(marker, max);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(resource.received(marker)).isEqualTo(max);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeTheEndpointRuns() {
        int max = (int) limit.asLongValue();
        for (int size : new int[] {max + 1, 4 * max}) {
            String marker = UUID.randomUUID().toString();
            Response r = post(marker, size);
            assertThat(r.statusCode()).as(size + " bytes: " + r.asString()).isEqualTo(413);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/body-too-large");
            assertThat(r.jsonPath().getInt("status")).isEqualTo(413);
            assertThat(r.jsonPath().getString("detail")).isEqualTo("the request body is larger than " + max + " bytes");
            assertThat(resource.received(marker)).as("the endpoint ran for a body of " + size + " bytes").isNull();
        }
    }

    @Test
    void aBodyOfUndeclaredLengthIsRefusedWith411() throws Exception {
        String marker = UUID.randomUUID().toString();
        byte[] small = new byte[16];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r;
        try {
            // A body publisher of unknown length: sent chunked, without Content-Length.
            r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/it/bodies/" + marker))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("a 16-byte body is sent whole before the answer", e);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(411);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("https://rollwatch.dev/problems/length-required");
        assertThat(resource.received(marker)).isNull();
    }
}
