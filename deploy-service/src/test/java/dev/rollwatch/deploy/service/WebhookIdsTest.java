package dev.rollwatch.deploy.service;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookIdsTest {

    @Test
    void theSameCallGetsTheSameIdAcrossRestartsAndDifferentCallsNeverShareOne() {
        UUID id = UUID.fromString("6a1f9d0e-5d43-4b7a-9c1e-0f2b3c4d5e6f");
        assertThat(WebhookIds.traffic(id, 2)).isEqualTo(WebhookIds.traffic(UUID.fromString(id.toString()), 2))
                .isEqualTo("msg_6a1f9d0e-5d43-4b7a-9c1e-0f2b3c4d5e6f_step2_traffic");
        assertThat(WebhookIds.finalize(id)).isEqualTo(WebhookIds.finalize(UUID.fromString(id.toString())))
                .isEqualTo("msg_6a1f9d0e-5d43-4b7a-9c1e-0f2b3c4d5e6f_finalize");

        Set<String> ids = new HashSet<>();
        for (int step = 0; step < 51; step++) {
            ids.add(WebhookIds.traffic(id, step));
        }
        ids.add(WebhookIds.rollback(id));
        ids.add(WebhookIds.finalize(id));
        ids.add(WebhookIds.traffic(UUID.randomUUID(), 0));
        ids.add(WebhookIds.finalize(UUID.randomUUID()));
        assertThat(ids).hasSize(55);
        assertThat(ids).allMatch(s -> s.startsWith("msg_"));
    }
}
