package dev.rollwatch.testsupport;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives every RestAssured request of a test JVM the all-roles token of {@link TestTokens#all()} unless it carries
 * its own {@code Authorization}. {@code Authorization: none} sends the request with no token at all.
 */
public final class DefaultTokenFilter implements Filter {

    public static final String NONE = "none";

    /**
     * Installs the filter of this class loader, replacing any earlier one. When Quarkus restarts between test
     * classes (another profile) this class and {@link TestTokens} are loaded again with a new key pair, while
     * RestAssured's static filter list survives: a stale filter would sign with a key the service no longer trusts.
     */
    public static synchronized void install() {
        List<Filter> kept = new ArrayList<>();
        for (Filter f : RestAssured.filters()) {
            if (!f.getClass().getName().equals(DefaultTokenFilter.class.getName())) {
                kept.add(f);
            }
        }
        kept.add(new DefaultTokenFilter());
        RestAssured.replaceFiltersWith(kept);
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
