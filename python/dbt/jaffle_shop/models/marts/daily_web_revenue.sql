select order_date, count(*) as orders, sum(total_amount) as revenue
from {{ source('lakehouse', 'curated_orders') }}
group by order_date
