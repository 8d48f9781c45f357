with orders as (
    select o.customer_id, count(*) as number_of_orders, sum(p.amount) as lifetime_value
    from {{ ref('stg_orders') }} o join {{ ref('stg_payments') }} p using (order_id)
    group by o.customer_id
)
select c.customer_id, c.first_name, c.last_name,
       coalesce(o.number_of_orders, 0) as number_of_orders,
       coalesce(o.lifetime_value, 0) as lifetime_value
from {{ ref('stg_customers') }} c left join orders o using (customer_id)
