-- partitioned shop.orders
CREATE SEQUENCE shop.orders_id_seq AS bigint START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE;
CREATE TABLE shop.orders (
    id bigint DEFAULT nextval('shop.orders_id_seq'::regclass) NOT NULL,
    customer_id bigint NOT NULL,
    state shop.order_state DEFAULT 'new'::shop.order_state NOT NULL,
    placed_at date NOT NULL,
    total shop.money_amount
) PARTITION BY RANGE (placed_at);
ALTER SEQUENCE shop.orders_id_seq OWNED BY shop.orders.id;
ALTER TABLE shop.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id, placed_at);
CREATE INDEX orders_open ON ONLY shop.orders USING btree (customer_id) WHERE (state <> 'shipped'::shop.order_state);
ALTER TABLE shop.orders OWNER TO postgres;
ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES shop.customers(id) ON DELETE RESTRICT;
