package dev.rollwatch.testsupport;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Gives every RestAssured request of a test JVM the all-roles token of {@link TestTokens#all()} unless it carries
 * its own {@code Authorization}. {@code Authorization: none} sends the request with no token at all.
 */
public final class DefaultTokenFilter implements Filter {

    public static final String NONE = "none";
    private static volatile boolean installed;

    public static synchronized void install() {
        if (!installed) {
            RestAssured.filters(new DefaultTokenFilter());
            installed = true;
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext ctx) {
        String given = request.getHeaders().getValue("Authorization");
        if (given == null) {
            request.header("Authorization", TestTokens.authorization());
        } else if (NONE.equals(given)) {
            request.removeHeader("Authorization");
        }
        return ctx.next(request, response);
    }
}
